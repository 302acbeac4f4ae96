import Dashboard
import FakeAnime
import Foundation
import Store
import Workflow

/// The dashboard's `/models` (behind the login): per kind, every version with the gate's verdict, lineage, figures and
/// samples; one version in full; two versions side by side.
///
/// - `/models`: every kind, every version, newest first;
/// - `/models/<kind>/<version>`: one version (its sample sheet at `/models/<kind>/<version>/samples.png`);
/// - `/models/<kind>/compare?a=v3&b=v5`: two versions side by side.
enum ModelsPage {
    static let page = DashboardPage(prefix: "models", title: "Models") { request in
        let registry = ModelRegistry(root: request.home.root.appendingPathComponent("models"))
        let segments = request.segments
        if segments.isEmpty { return try overview(registry) }
        guard let kind = ModelKind(rawValue: segments[0]) else {
            return .notFound("no model kind '\(segments[0])'; the kinds are \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let versions = try registry.versions(kind)
        let accepted = try? registry.acceptedName(kind)
        func find(_ name: String) -> ModelVersion? { versions.first { $0.version == name } }
        func unknown(_ name: String) -> String {
            PipelineError(.unknownModelVersion(kind: kind, version: name, known: versions.map(\.version))).description
        }
        switch segments.count {
        case 1:
            return .page(title: "\(kind) models", body: "<h1>\(kind) models</h1>" + kindCard(kind, versions: versions, accepted: accepted))
        case 2 where segments[1] == "compare":
            guard let a = request.query["a"], let b = request.query["b"] else {
                return .badRequest("compare needs two versions: /models/\(kind)/compare?a=v1&b=v2")
            }
            guard let left = find(a) else { return .badRequest("a: " + unknown(a)) }
            guard let right = find(b) else { return .badRequest("b: " + unknown(b)) }
            return .page(title: "\(kind) \(a) vs \(b)", body: compare(registry, left, right, accepted: accepted))
        case 2:
            guard let meta = find(segments[1]) else { return .notFound(unknown(segments[1])) }
            return .page(title: "\(kind) \(meta.version)", body: detail(registry, meta, accepted: accepted))
        case 3 where segments[2] == ModelRegistry.sampleSheetFile:
            guard let meta = find(segments[1]) else { return .notFound(unknown(segments[1])) }
            return .file(path: registry.directory(kind, meta.version).appendingPathComponent(ModelRegistry.sampleSheetFile).path)
        default:
            return .notFound("no page /models/\(segments.joined(separator: "/"))")
        }
    }

    static func e(_ text: some StringProtocol) -> String { DashboardPage.escape(text) }

    static func overview(_ registry: ModelRegistry) throws -> DashboardPage.Response {
        var body = "<h1>Models</h1><p class=\"sub\">Every version anime_nightly trained, newest first, with the gate's verdict. "
            + "<code>nightshift models promote KIND VERSION</code> or <code>rollback KIND</code> changes the accepted one.</p>"
        for kind in ModelKind.allCases {
            body += "<h2>" + e(kind.rawValue) + "</h2>"
            body += kindCard(kind, versions: try registry.versions(kind), accepted: try? registry.acceptedName(kind))
        }
        return .page(title: "Models", body: body)
    }

    static func statusBadge(_ meta: ModelVersion, accepted: String?) -> String {
        let tone = switch meta.status { case .accepted: "st-success"; case .rejected: "st-failed"; case .candidate: "st-queued" }
        var html = "<span class=\"badge \(tone)\">\(e(meta.status.rawValue))</span>"
        if meta.version == accepted { html += " <span class=\"badge st-running\">in use</span>" }
        return html
    }

    static func versionLink(_ meta: ModelVersion) -> String {
        "<a href=\"\(DashboardPage.path("models", meta.kind.rawValue, meta.version))\">\(e(meta.version))</a>"
    }

    static func runLink(_ meta: ModelVersion) -> String {
        "<a href=\"\(DashboardPage.path("dags", meta.dagID, "runs", meta.runID))\" class=\"mono\">\(e(meta.runID))</a>"
    }

    static func kindCard(_ kind: ModelKind, versions: [ModelVersion], accepted: String?) -> String {
        guard !versions.isEmpty else {
            return "<div class=\"card\"><p class=\"muted\">No \(e(kind.rawValue)) version yet: anime_nightly trains the first.</p></div>"
        }
        let labels = versions.reversed().flatMap { ModelFigures.headline($0).map(\.label) }.reduce(into: [String]()) {
            if !$0.contains($1) { $0.append($1) }
        }
        var html = "<div class=\"card\"><table><thead><tr><th>Version</th><th>Status</th><th>Parent</th><th>Snapshot</th><th>Run</th>"
        html += labels.map { "<th class=\"num\">\(e($0))</th>" }.joined() + "<th>Why</th></tr></thead><tbody>"
        for meta in versions.reversed() {
            let figures = Dictionary(ModelFigures.headline(meta).map { ($0.label, $0.value) }, uniquingKeysWith: { a, _ in a })
            html += "<tr><td>\(versionLink(meta))</td><td>\(statusBadge(meta, accepted: accepted))</td>"
            html += "<td>\(e(meta.parent ?? "—"))</td><td class=\"mono\">\(e(String(meta.snapshotID.prefix(12))))</td><td>\(runLink(meta))</td>"
            html += labels.map { "<td class=\"num\">\(e(figures[$0].map(ModelFigures.format) ?? "—"))</td>" }.joined()
            html += "<td>\(e(meta.reason ?? ""))</td></tr>"
        }
        html += "</tbody></table>"
        if versions.count >= 2 {
            let options = versions.reversed().map { "<option value=\"\(e($0.version))\">\(e($0.version))</option>" }.joined()
            let second = versions.reversed().dropFirst().map { "<option value=\"\(e($0.version))\">\(e($0.version))</option>" }.joined()
            html += "<form class=\"inline\" method=\"get\" action=\"\(DashboardPage.path("models", kind.rawValue, "compare"))\">"
                + "<label>Compare <select name=\"a\">\(options)</select></label> <label>with <select name=\"b\">\(second)</select></label> "
                + "<button type=\"submit\">Side by side</button></form>"
        }
        return html + "</div>"
    }

    /// One version's lineage, verdict and samples, as a card.
    static func summary(_ registry: ModelRegistry, _ meta: ModelVersion, accepted: String?) -> String {
        var html = "<div class=\"card\"><h2>\(e(meta.kind.rawValue)) \(versionLink(meta)) \(statusBadge(meta, accepted: accepted))</h2>"
        html += "<dl class=\"def\"><dt>Verdict</dt><dd>\(e(meta.reason ?? "not yet evaluated"))</dd>"
        html += "<dt>Parent</dt><dd>\(meta.parent.map { e($0) } ?? "none (fresh start)")</dd>"
        html += "<dt>Snapshot</dt><dd class=\"mono\">\(e(meta.snapshotID))</dd>"
        html += "<dt>Made by</dt><dd>\(e(meta.dagID)) run \(runLink(meta))</dd>"
        html += "<dt>Created</dt><dd>\(e(Template.timestamp(meta.createdAt)))</dd>"
        html += "<dt>Steps</dt><dd>\(meta.steps)</dd><dt>Configuration</dt><dd>\(e(meta.configuration))</dd></dl></div>"
        let files = ModelFigures.files(registry, meta)
        if files.sampleSheet != nil {
            let src = DashboardPage.path("models", meta.kind.rawValue, meta.version, ModelRegistry.sampleSheetFile)
            html += "<div class=\"card\"><h3>Sample sheet</h3><img class=\"attachment\" src=\"\(src)\" alt=\"sample posters of \(e(meta.version))\"></div>"
        }
        if let samples = files.samples {
            html += "<div class=\"card\"><h3>Samples the gate judged (\(samples.count))</h3><ol>"
                + samples.map { "<li>\(e($0))</li>" }.joined() + "</ol></div>"
        }
        return html
    }

    static func metricsTable(_ columns: [ModelVersion]) -> String {
        let names = Set(columns.flatMap(\.metrics.keys)).sorted()
        var html = "<div class=\"card\"><h3>Metrics</h3><table><thead><tr><th>Metric</th>"
        html += columns.map { "<th class=\"num\">\(e($0.version))</th>" }.joined() + "</tr></thead><tbody>"
        for name in names {
            html += "<tr><td class=\"mono\">\(e(name))</td>"
                + columns.map { "<td class=\"num\">\(e($0.metrics[name].map(ModelFigures.format) ?? "—"))</td>" }.joined() + "</tr>"
        }
        return html + "</tbody></table></div>"
    }

    static func detail(_ registry: ModelRegistry, _ meta: ModelVersion, accepted: String?) -> String {
        var html = "<h1>\(e(meta.kind.rawValue)) \(e(meta.version))</h1><p class=\"sub\"><a href=\"/models\">All models</a></p>"
        html += "<div class=\"two\"><div>" + summary(registry, meta, accepted: accepted) + "</div><div>" + metricsTable([meta]) + "</div></div>"
        let history = registry.history(meta.kind).filter { $0.version == meta.version || $0.previous == meta.version }
        if !history.isEmpty {
            html += "<div class=\"card\"><h3>History</h3><table><thead><tr><th>When</th><th>Action</th><th>Change</th><th>By</th><th>Why</th></tr></thead><tbody>"
            for change in history.reversed() {
                html += "<tr><td>\(e(Template.timestamp(change.at)))</td><td>\(e(change.action.rawValue))</td>"
                    + "<td>\(e(change.previous ?? "none")) → \(e(change.version))</td><td>\(e(change.actor))</td><td>\(e(change.reason ?? ""))</td></tr>"
            }
            html += "</tbody></table></div>"
        }
        return html
    }

    static func compare(_ registry: ModelRegistry, _ a: ModelVersion, _ b: ModelVersion, accepted: String?) -> String {
        "<h1>\(e(a.kind.rawValue)): \(e(a.version)) and \(e(b.version))</h1><p class=\"sub\"><a href=\"/models\">All models</a></p>"
            + metricsTable([a, b])
            + "<div class=\"two\"><div>" + summary(registry, a, accepted: accepted) + "</div><div>" + summary(registry, b, accepted: accepted)
            + "</div></div>"
    }
}
