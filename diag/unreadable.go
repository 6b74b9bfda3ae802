package diag

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// CodeUnreadable reports a file that cannot be read: missing, without
// permission, or a symbolic link loop.
const CodeUnreadable = "unreadable"

// Unreadable is the diagnostic of a file that cannot be read, at its first
// line, in English or French (lang "fr"). Its message says why in words a
// person can act on.
func Unreadable(path string, err error, lang string) Diagnostic {
	at := Pos{Line: 1, Column: 1}
	return Diagnostic{Severity: Error, Code: CodeUnreadable, Message: UnreadableMessage(path, err, lang),
		Range: Range{Filename: path, Start: at, End: at}}
}

// UnreadableMessage says why path cannot be read.
func UnreadableMessage(path string, err error, lang string) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	reason := err.Error()
	fr := lang == "fr"
	switch {
	case errors.Is(err, fs.ErrNotExist) && fr:
		reason = "aucun fichier ou dossier de ce nom"
	case errors.Is(err, fs.ErrNotExist):
		reason = "no such file or folder"
	case errors.Is(err, fs.ErrPermission) && fr:
		reason = "permission refusée : vérifiez les droits du fichier"
	case errors.Is(err, fs.ErrPermission):
		reason = "permission denied: check the file's permissions"
	case strings.Contains(reason, "too many levels of symbolic links") && fr:
		reason = "un lien symbolique qui pointe sur lui-même (une boucle) : corrigez ou supprimez le lien"
	case strings.Contains(reason, "too many levels of symbolic links"):
		reason = "a symbolic link that points back at itself (a loop): fix or remove the link"
	}
	if fr {
		return fmt.Sprintf("impossible de lire %s : %s", path, reason)
	}
	return fmt.Sprintf("cannot read %s: %s", path, reason)
}
