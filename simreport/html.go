package simreport

import (
	"fmt"
	"html/template"
	"io"
)

// WriteHTML writes the report as one self-contained page: inline CSS and
// SVG charts, no scripts, fonts or images from elsewhere.
func (r Report) WriteHTML(w io.Writer, title string) error {
	return page.Execute(w, struct {
		Report
		Title   string
		Outcome template.HTML
		Fires   template.HTML
	}{r, title, r.outcomeChart(), r.firesChart()})
}

var funcs = template.FuncMap{
	"pct": func(part, whole int) string { return fmt.Sprintf("%.1f%%", Share(part, whole)) },
}

// outcomeChart is one stacked bar: automated, handed over, unmatched, other.
func (r Report) outcomeChart() template.HTML {
	other := r.Turns - r.Automated - r.Handovers - r.Unmatched
	parts := []struct {
		name  string
		n     int
		color string
	}{{"automated", r.Automated, "#2e7d32"}, {"handed over", r.Handovers, "#1565c0"}, {"unmatched", r.Unmatched, "#c62828"}, {"other", other, "#9e9e9e"}}
	const width = 800.0
	svg := fmt.Sprintf(`<svg id="outcome-chart" xmlns="http://www.w3.org/2000/svg" width="%d" height="90" role="img" aria-label="Outcome of each contact message">`, int(width))
	x := 0.0
	for _, p := range parts {
		if r.Turns == 0 || p.n <= 0 {
			continue
		}
		wd := width * float64(p.n) / float64(r.Turns)
		svg += fmt.Sprintf(`<rect x="%.1f" y="0" width="%.1f" height="40" fill="%s"><title>%s: %d</title></rect>`, x, wd, p.color, p.name, p.n)
		x += wd
	}
	lx := 0
	for _, p := range parts {
		svg += fmt.Sprintf(`<rect x="%d" y="56" width="14" height="14" fill="%s"/><text x="%d" y="68" font-size="13">%s %d (%s)</text>`,
			lx, p.color, lx+20, template.HTMLEscapeString(p.name), max(p.n, 0), fmt.Sprintf("%.1f%%", Share(max(p.n, 0), r.Turns)))
		lx += 200
	}
	return template.HTML(svg + `</svg>`)
}

// firesChart is a horizontal bar per scenario that fired: its actions ok,
// failed and skipped.
func (r Report) firesChart() template.HTML {
	maxN := 1
	var rows []ScenarioStat
	for _, s := range r.Scenarios {
		if s.Fired > 0 {
			rows = append(rows, s)
			maxN = max(maxN, s.OK+s.FailedN+s.SkippedN, s.Fired)
		}
	}
	const label, width, row = 90, 640.0, 26
	svg := fmt.Sprintf(`<svg id="fires-chart" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" role="img" aria-label="Actions per scenario">`, label+int(width)+60, len(rows)*row+30)
	for i, s := range rows {
		y := i * row
		svg += fmt.Sprintf(`<text x="0" y="%d" font-size="13">%s (l. %d)</text>`, y+16, s.ID, s.Line)
		x := float64(label)
		for _, p := range []struct {
			n     int
			color string
			name  string
		}{{s.OK, "#2e7d32", "ok"}, {s.FailedN, "#c62828", "failed"}, {s.SkippedN, "#f9a825", "skipped"}} {
			wd := width * float64(p.n) / float64(maxN)
			if p.n > 0 {
				svg += fmt.Sprintf(`<rect x="%.1f" y="%d" width="%.1f" height="18" fill="%s"><title>%s: %d %s</title></rect>`, x, y+3, wd, p.color, s.ID, p.n, p.name)
			}
			x += wd
		}
		svg += fmt.Sprintf(`<text x="%.1f" y="%d" font-size="12">%d fired</text>`, x+6, y+16, s.Fired)
	}
	y := len(rows)*row + 20
	svg += fmt.Sprintf(`<text x="%d" y="%d" font-size="12" fill="#555">actions: green ok, red failed, amber skipped</text>`, label, y)
	return template.HTML(svg + `</svg>`)
}

var page = template.Must(template.New("report").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1100px}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.cards{display:flex;gap:1rem}.card{border:1px solid #ddd;border-radius:6px;padding:.8rem 1.2rem}
.card b{display:block;font-size:1.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #eee;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
</style></head><body>
<h1>{{.Title}}</h1>
<div class="cards">
<div class="card">conversations<b>{{.Conversations}}</b></div>
<div class="card">contact messages<b>{{.Turns}}</b></div>
<div class="card">automated<b>{{pct .Automated .Turns}}</b></div>
<div class="card">handed over<b>{{pct .Handovers .Turns}}</b></div>
<div class="card">unmatched<b>{{pct .Unmatched .Turns}}</b></div>
</div>
<h2>What happened to each contact message</h2>
{{.Outcome}}
<p>Automated: a scenario ran an action or replied, and nobody was assigned. Handed over: an assign or unassign ran.{{if .Waiting}} {{.Waiting}} messages started a scenario that first asked the contact for information.{{end}}</p>
<h2>Scenarios</h2>
{{.Fires}}
<table id="scenarios"><thead><tr><th>scenario</th><th>line</th><th>condition</th><th>fired</th><th>ok</th><th>failed</th><th>skipped</th><th>handovers</th></tr></thead><tbody>
{{range .Scenarios}}<tr><td>{{.ID}}</td><td class="n">{{.Line}}</td><td>{{.Condition}}</td><td class="n">{{.Fired}}</td><td class="n">{{.OK}}</td><td class="n">{{.FailedN}}</td><td class="n">{{.SkippedN}}</td><td class="n">{{.Handovers}}</td></tr>
{{end}}</tbody></table>
<h2>Unmatched messages, grouped by similarity</h2>
<p>What the instructions do not cover yet.</p>
<table id="gaps"><thead><tr><th>messages</th><th>examples</th><th>words</th></tr></thead><tbody>
{{range .Gaps}}<tr><td class="n">{{.Count}}</td><td>{{range .Examples}}{{.}}<br>{{end}}</td><td>{{range .Keywords}}{{.}} {{end}}</td></tr>
{{else}}<tr><td colspan="3">Every message matched a scenario.</td></tr>{{end}}</tbody></table>
<h2>Failed actions</h2>
<table id="failures"><thead><tr><th>count</th><th>scenario</th><th>action</th><th>reason</th><th>example message</th></tr></thead><tbody>
{{range .Failures}}<tr><td class="n">{{.Count}}</td><td>{{.Scenario}}</td><td>{{.Action}}</td><td>{{.Reason}}</td><td>{{.Example}}</td></tr>
{{else}}<tr><td colspan="5">No action failed.</td></tr>{{end}}</tbody></table>
</body></html>
`))
