package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"time"
)

// The plot: one panel per measured curve, time along x, every stub's
// samples in its own colour, the warm-up interval shaded and the report
// intervals marked on the time axis.
const (
	plotWidth   = 1200
	panelHeight = 140
	panelGap    = 34 // room for a panel's title above it
	marginLeft  = 80
	marginRight = 20
	marginTop   = 30
	marginBelow = 24
)

var (
	colorBackground = color.RGBA{255, 255, 255, 255}
	colorAxis       = color.RGBA{60, 60, 60, 255}
	colorGrid       = color.RGBA{225, 225, 225, 255}
	colorWarmup     = color.RGBA{243, 243, 243, 255}
	colorText       = color.RGBA{20, 20, 20, 255}
	// stubColors: strong for a stub's main curve, light for its second.
	stubColors = map[string][2]color.RGBA{
		"mem":  {{31, 119, 180, 255}, {150, 190, 225, 255}},
		"data": {{230, 110, 0, 255}, {245, 190, 130, 255}},
	}
)

// series is one curve of a panel.
type series struct {
	label string
	color color.RGBA
	x     []time.Duration
	y     []float64
}

// panel is one chart.
type panel struct {
	title  string
	unit   string
	series []series
}

// panels builds the charts from the stubs' samples.
func (r *report) panels() []panel {
	metric := func(title, unit string, second string, main, other func(sample) float64) panel {
		p := panel{title: title, unit: unit}
		for _, res := range r.stubs {
			s := res.stub
			cols := stubColors[s.name]
			add := func(label string, c color.RGBA, f func(sample) float64) {
				sr := series{label: label, color: c}
				for _, smp := range s.samples {
					sr.x = append(sr.x, smp.at)
					sr.y = append(sr.y, f(smp))
				}
				p.series = append(p.series, sr)
			}
			if other != nil {
				add(s.name+" "+second, cols[1], other)
			}
			add(s.name, cols[0], main)
		}
		return p
	}
	ps := []panel{
		metric("resident memory", "MiB", "", func(s sample) float64 { return float64(s.rssBytes) / (1 << 20) }, nil),
		metric("heap allocated", "MiB", "", func(s sample) float64 { return float64(s.heapBytes) / (1 << 20) }, nil),
		metric("goroutines (light: OS threads)", "", "threads", func(s sample) float64 { return float64(s.goroutines) },
			func(s sample) float64 { return float64(s.threads) }),
		metric("open file descriptors", "", "", func(s sample) float64 { return float64(s.fds) }, nil),
		metric("latency p99 (light: p50), fault requests excluded", "ms", "p50",
			func(s sample) float64 { return float64(s.lat.percentile(99)) / 1e6 },
			func(s sample) float64 { return float64(s.lat.percentile(50)) / 1e6 }),
		metric("request journal length", "", "", func(s sample) float64 { return float64(s.journalLen) }, nil),
	}
	hasData := false
	for _, res := range r.stubs {
		hasData = hasData || res.stub.dataDir != ""
	}
	if hasData {
		p := panel{title: "data directory (light: journal file)", unit: "MiB"}
		for _, res := range r.stubs {
			s := res.stub
			if s.dataDir == "" {
				continue
			}
			cols := stubColors[s.name]
			dir, wal := series{label: s.name + " dir", color: cols[0]}, series{label: s.name + " journal", color: cols[1]}
			for _, smp := range s.samples {
				dir.x, wal.x = append(dir.x, smp.at), append(wal.x, smp.at)
				dir.y, wal.y = append(dir.y, float64(smp.dirBytes)/(1<<20)), append(wal.y, float64(smp.walBytes)/(1<<20))
			}
			p.series = append(p.series, wal, dir)
		}
		ps = append(ps, p)
	}
	return ps
}

// plot draws the panels as a PNG.
func (r *report) plot() ([]byte, error) {
	ps := r.panels()
	height := marginTop + len(ps)*(panelHeight+panelGap) + marginBelow
	img := image.NewRGBA(image.Rect(0, 0, plotWidth, height))
	draw.Draw(img, img.Bounds(), &image.Uniform{colorBackground}, image.Point{}, draw.Src)
	title := fmt.Sprintf("fakequay soak: %s, %d clients and %.0f req/s per stub, load average %.1f to %.1f",
		r.took.Round(time.Second), r.cfg.clients, r.cfg.rate, r.loads.lo, r.loads.hi)
	drawText(img, marginLeft, 10, title, colorText)
	span := max(r.took, r.cfg.interval)
	for i, p := range ps {
		top := marginTop + i*(panelHeight+panelGap) + panelGap
		drawPanel(img, p, image.Rect(marginLeft, top, plotWidth-marginRight, top+panelHeight), span, r.cfg.interval)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func drawPanel(img *image.RGBA, p panel, area image.Rectangle, span, every time.Duration) {
	xOf := func(t time.Duration) int {
		return area.Min.X + int(float64(area.Dx()-1)*float64(t)/float64(span))
	}
	// Warm-up shade, interval grid and time labels.
	draw.Draw(img, image.Rect(area.Min.X, area.Min.Y, min(xOf(every), area.Max.X), area.Max.Y),
		&image.Uniform{colorWarmup}, image.Point{}, draw.Src)
	labelEvery := max(1, int(math.Ceil(float64(span/every)/12)))
	for k := 0; time.Duration(k)*every <= span; k++ {
		x := xOf(time.Duration(k) * every)
		vline(img, x, area.Min.Y, area.Max.Y, colorGrid)
		if k%labelEvery == 0 {
			lbl := short(time.Duration(k) * every)
			drawText(img, max(x-textWidth(lbl)/2, 0), area.Max.Y+4, lbl, colorText)
		}
	}
	top := 0.0
	for _, s := range p.series {
		for _, v := range s.y {
			top = max(top, v)
		}
	}
	top = niceCeiling(top)
	yOf := func(v float64) int {
		return area.Max.Y - 1 - int(float64(area.Dy()-1)*v/top)
	}
	for _, frac := range []float64{0.5, 1} {
		y := yOf(top * frac)
		hline(img, area.Min.X, area.Max.X, y, colorGrid)
		lbl := formatValue(top * frac)
		drawText(img, area.Min.X-6-textWidth(lbl), y-3, lbl, colorText)
	}
	drawText(img, area.Min.X-6-textWidth("0"), area.Max.Y-4, "0", colorText)
	// Axes.
	hline(img, area.Min.X, area.Max.X, area.Max.Y, colorAxis)
	vline(img, area.Min.X, area.Min.Y, area.Max.Y, colorAxis)
	// Curves.
	for _, s := range p.series {
		for i := 1; i < len(s.x); i++ {
			line(img, xOf(s.x[i-1]), yOf(s.y[i-1]), xOf(s.x[i]), yOf(s.y[i]), s.color)
		}
	}
	// Title and legend.
	title := p.title
	if p.unit != "" {
		title += " (" + p.unit + ")"
	}
	drawText(img, area.Min.X, area.Min.Y-12, title, colorText)
	x := area.Max.X
	for i := len(p.series) - 1; i >= 0; i-- {
		s := p.series[i]
		x -= textWidth(s.label) + 24
		fillRect(img, image.Rect(x, area.Min.Y-12, x+12, area.Min.Y-5), s.color)
		drawText(img, x+16, area.Min.Y-12, s.label, colorText)
	}
}

// niceCeiling rounds v up to 1, 2 or 5 times a power of ten (1 for 0).
func niceCeiling(v float64) float64 {
	if v <= 0 || math.IsNaN(v) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func formatValue(v float64) string {
	switch {
	case v >= 100 || v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	case v >= 1:
		return fmt.Sprintf("%.1f", v)
	}
	return fmt.Sprintf("%.2g", v)
}

func hline(img *image.RGBA, x0, x1, y int, c color.Color) {
	for x := x0; x <= x1; x++ {
		img.Set(x, y, c)
	}
}

func vline(img *image.RGBA, x, y0, y1 int, c color.Color) {
	for y := y0; y <= y1; y++ {
		img.Set(x, y, c)
	}
}

func fillRect(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, &image.Uniform{c}, image.Point{}, draw.Src)
}

// line draws a segment (Bresenham).
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		img.Set(x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
