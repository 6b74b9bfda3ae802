package serve

import (
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func cmpSort[T any](less func(a, b T) bool) cmp.Option { return cmpopts.SortSlices(less) }
