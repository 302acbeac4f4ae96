import Foundation

/// SVG drawn on the server: the DAG graph, the Gantt chart of a run, run durations and metric line charts. Colours
/// come from CSS classes (`st-<state>`), so the CSP needs no inline style.
enum Charts {
    private static func c(_ value: Double) -> String { Format.coordinate(value) }

    /// The DAG graph, nodes coloured by `states` (task id → state) and linking to `href(task)` when given.
    /// - Parameter mapped: for a mapped task, its instance count and count per state ("12 success"), shown on its node.
    static func graph(
        _ layout: GraphLayout, states: [String: String], mapped: [String: (count: Int, summary: String)] = [:], href: (String) -> String?
    ) -> String {
        let w = GraphLayout.nodeWidth, h = GraphLayout.nodeHeight
        var position: [String: GraphLayout.Node] = [:]
        for node in layout.nodes { position[node.id] = node }
        var svg = "<svg class=\"graph\" role=\"img\" aria-label=\"DAG graph\" width=\"\(c(layout.width))\" height=\"\(c(layout.height))\" "
            + "viewBox=\"0 0 \(c(layout.width)) \(c(layout.height))\">"
        svg += "<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
            + "<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#8c959f\"/></marker></defs>"
        for edge in layout.edges {
            guard let a = position[edge.from], let b = position[edge.to] else { continue }
            let x1 = a.x + w, y1 = a.y + h / 2, x2 = b.x - 2, y2 = b.y + h / 2
            let mid = (x1 + x2) / 2
            svg += "<path class=\"edge\" marker-end=\"url(#arrow)\" "
                + "d=\"M\(c(x1)),\(c(y1)) C\(c(mid)),\(c(y1)) \(c(mid)),\(c(y2)) \(c(x2)),\(c(y2))\"/>"
        }
        for node in layout.nodes {
            let state = states[node.id] ?? "none"
            var label = node.id.count > 20 ? String(node.id.prefix(19)) + "…" : node.id
            if let counts = mapped[node.id] { label = (node.id.count > 15 ? String(node.id.prefix(14)) + "…" : node.id) + " [\(counts.count)]" }
            var group = "<g class=\"node st-\(HTML.escape(state))\" data-key=\"node:\(HTML.escape(node.id))\" data-state=\"\(HTML.escape(state))\">"
            group += "<title>\(HTML.escape(node.id)): \(HTML.escape(mapped[node.id].map { "\($0.count) mapped: \($0.summary)" } ?? state))</title>"
            group += "<rect class=\"box\" x=\"\(c(node.x))\" y=\"\(c(node.y))\" width=\"\(c(w))\" height=\"\(c(h))\" rx=\"6\"/>"
            group += "<text x=\"\(c(node.x + w / 2))\" y=\"\(c(node.y + h / 2 + 4))\" text-anchor=\"middle\">\(HTML.escape(label))</text></g>"
            if let link = href(node.id) { group = "<a href=\"\(HTML.escape(link))\">" + group + "</a>" }
            svg += group
        }
        return svg + "</svg>"
    }

    /// One bar of a Gantt chart.
    struct Span { var row: String; var start: Date; var end: Date; var state: String; var label: String; var href: String? }

    /// A Gantt chart: a row per task, a bar per try from its start to its end (or now).
    static func gantt(rows: [String], spans: [Span]) -> String {
        guard let first = spans.map(\.start).min(), let last = spans.map(\.end).max() else {
            return "<p class=\"muted\">No task has started yet.</p>"
        }
        let labelWidth = 170.0, width = 900.0, rowHeight = 22.0, top = 22.0
        let total = max(last.timeIntervalSince(first), 0.001)
        let plot = width - labelWidth - 20
        let height = top + Double(rows.count) * rowHeight + 6
        var svg = "<svg class=\"gantt\" role=\"img\" aria-label=\"Gantt chart\" width=\"\(c(width))\" height=\"\(c(height))\" "
            + "viewBox=\"0 0 \(c(width)) \(c(height))\">"
        for tick in 0...4 {
            let x = labelWidth + plot * Double(tick) / 4
            svg += "<line class=\"axis\" x1=\"\(c(x))\" y1=\"\(c(top - 4))\" x2=\"\(c(x))\" y2=\"\(c(height))\"/>"
            svg += "<text class=\"axis-label\" x=\"\(c(x))\" y=\"12\" "
                + "text-anchor=\"\(tick == 4 ? "end" : "middle")\">+\(HTML.escape(Format.duration(total * Double(tick) / 4)))</text>"
        }
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            svg += "<text x=\"\(c(labelWidth - 8))\" y=\"\(c(y + 15))\" text-anchor=\"end\">\(HTML.escape(row))</text>"
        }
        for span in spans {
            guard let index = rows.firstIndex(of: span.row) else { continue }
            let y = top + Double(index) * rowHeight + 3
            let x = labelWidth + plot * span.start.timeIntervalSince(first) / total
            let barWidth = max(2, plot * span.end.timeIntervalSince(span.start) / total)
            var bar = "<rect class=\"bar st-\(HTML.escape(span.state))\" x=\"\(c(x))\" y=\"\(c(y))\" width=\"\(c(barWidth))\" height=\"16\" rx=\"3\">"
                + "<title>\(HTML.escape(span.label))</title></rect>"
            if let href = span.href { bar = "<a href=\"\(HTML.escape(href))\">\(bar)</a>" }
            svg += bar
        }
        return svg + "</svg>"
    }

    /// Bars of run durations over time (oldest left), coloured by run state.
    static func durations(_ runs: [(label: String, seconds: Double?, state: String, href: String)]) -> String {
        let values = runs.compactMap(\.seconds)
        guard let longest = values.max(), longest > 0 else { return "<p class=\"muted\">No finished run yet.</p>" }
        let left = 78.0, height = 150.0, plot = 120.0, top = 10.0
        let slot = min(24.0, max(6.0, 300.0 / Double(max(runs.count, 1))))
        let width = max(380.0, left + Double(runs.count) * slot + 10)
        var svg = "<svg class=\"durations\" role=\"img\" aria-label=\"Run durations\" width=\"\(c(width))\" height=\"\(c(height))\" "
            + "viewBox=\"0 0 \(c(width)) \(c(height))\">"
        for tick in 0...2 {
            let y = top + plot - plot * Double(tick) / 2
            svg += "<line class=\"axis\" x1=\"\(c(left))\" y1=\"\(c(y))\" x2=\"\(c(width))\" y2=\"\(c(y))\"/>"
            svg += "<text class=\"axis-label\" x=\"\(c(left - 6))\" y=\"\(c(y + 4))\" "
                + "text-anchor=\"end\">\(HTML.escape(Format.duration(longest * Double(tick) / 2)))</text>"
        }
        for (index, run) in runs.enumerated() {
            guard let seconds = run.seconds else { continue }
            let barHeight = max(1.5, plot * seconds / longest)
            let x = left + 6 + Double(index) * slot
            svg += "<a href=\"\(HTML.escape(run.href))\">"
                + "<rect class=\"bar st-\(HTML.escape(run.state))\" x=\"\(c(x))\" y=\"\(c(top + plot - barHeight))\" width=\"\(c(slot * 0.75))\" "
                + "height=\"\(c(barHeight))\" rx=\"1\">"
                + "<title>\(HTML.escape(run.label)): \(HTML.escape(Format.duration(seconds)))</title></rect></a>"
        }
        return svg + "</svg>"
    }

    /// A line chart of one metric series (step → value).
    static func line(title: String, points: [(step: Int, value: Double)]) -> String {
        let width = 380.0, height = 190.0, left = 62.0, right = 12.0, top = 26.0, bottom = 26.0
        var svg = "<svg class=\"metric\" role=\"img\" aria-label=\"\(HTML.escape(title))\" width=\"\(c(width))\" height=\"\(c(height))\" "
            + "viewBox=\"0 0 \(c(width)) \(c(height))\">"
        svg += "<text x=\"\(c(left))\" y=\"16\" font-weight=\"600\">\(HTML.escape(title))</text>"
        guard let minStep = points.map(\.step).min(), let maxStep = points.map(\.step).max(),
            let low = points.map(\.value).min(), let high = points.map(\.value).max()
        else { return svg + "</svg>" }
        if points.count == 1 {  // one value (an evaluation): say it instead of drawing a lone dot
            svg += "<text x=\"\(c(width / 2))\" y=\"\(c(height / 2 + 8))\" text-anchor=\"middle\" font-size=\"26\">"
                + "\(HTML.escape(shortNumber(low)))</text>"
            svg += "<text class=\"axis-label\" x=\"\(c(width / 2))\" y=\"\(c(height / 2 + 30))\" text-anchor=\"middle\">at step \(minStep)</text>"
            return svg + "</svg>"
        }
        let span = high - low == 0 ? max(abs(high), 1) : high - low
        let (yLow, yHigh) = high - low == 0 ? (low - span / 2, high + span / 2) : (low, high)
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ step: Int) -> Double { left + (maxStep == minStep ? plotW / 2 : plotW * Double(step - minStep) / Double(maxStep - minStep)) }
        func y(_ value: Double) -> Double { top + plotH - plotH * (value - yLow) / (yHigh - yLow) }
        for tick in 0...2 {
            let value = yLow + (yHigh - yLow) * Double(tick) / 2
            svg += "<line class=\"axis\" x1=\"\(c(left))\" y1=\"\(c(y(value)))\" x2=\"\(c(width - right))\" y2=\"\(c(y(value)))\"/>"
            svg += "<text class=\"axis-label\" x=\"\(c(left - 6))\" y=\"\(c(y(value) + 4))\" "
                + "text-anchor=\"end\">\(HTML.escape(shortNumber(value)))</text>"
        }
        svg += "<text class=\"axis-label\" x=\"\(c(left))\" y=\"\(c(height - 8))\">step \(minStep)</text>"
        if maxStep != minStep {
            svg += "<text class=\"axis-label\" x=\"\(c(width - right))\" y=\"\(c(height - 8))\" text-anchor=\"end\">step \(maxStep)</text>"
        }
        let sorted = points.sorted { $0.step < $1.step }
        svg += "<polyline class=\"series\" points=\"" + sorted.map { "\(c(x($0.step))),\(c(y($0.value)))" }.joined(separator: " ") + "\"/>"
        if sorted.count <= 60 {
            for point in sorted {
                svg += "<circle class=\"dot\" cx=\"\(c(x(point.step)))\" cy=\"\(c(y(point.value)))\" r=\"2.5\">"
                    + "<title>step \(point.step): \(HTML.escape(shortNumber(point.value)))</title></circle>"
            }
        }
        return svg + "</svg>"
    }

    static func shortNumber(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1000 && magnitude < 1_000_000 { return String(format: "%.0f", value) }
        if magnitude >= 1_000_000 || magnitude < 0.01 { return String(format: "%.3g", value) }
        return String(format: "%.3f", value).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
    }
}
