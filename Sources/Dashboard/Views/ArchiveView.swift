import Foundation
import Store

/// The public page: one fake anime (poster, title, synopsis), an "another" button, the latest batch as a grid, and
/// the lineage (batch, model versions, dataset snapshot, the run that made it; the run link needs a login).
enum ArchiveView {
    static func render(entry: ArchiveEntryRecord?, latest: ArchiveBatchRecord?, batchEntries: [ArchiveEntryRecord], session: Session?) -> String {
        guard let entry else {
            return """
                <div class="card empty"><h1>Fake anime</h1>
                <p>No fake anime yet — the first batch appears after anime_nightly publishes.</p>
                <p class="small">Watch the pipeline on the <a href="/dags">DAGs</a> page.</p></div>
                """
        }
        let models = entry.modelVersions.keys.sorted().map { "\(HTML.escape($0)): \(HTML.escape(entry.modelVersions[$0]!))" }
            .joined(separator: "<br>")
        var html = """
            <div class="card"><div class="anime">
            <img class="poster" src="\(HTML.escape(fileURL(entry.posterDisplay)))" alt="Poster of \(HTML.escape(entry.title))" \
            width="320" height="320">
            <div><h1>\(HTML.escape(entry.title))</h1>
            <p class="synopsis">\(HTML.escape(entry.synopsis))</p>
            <p class="actions"><a class="button primary" href="/">Another one</a>
            <a class="button" href="\(HTML.escape(permalink(entry)))">Permalink</a></p>
            <h2>Lineage</h2>
            <table class="kv">
            <tr><td>Batch</td><td class="mono">\(HTML.escape(entry.batch)) · #\(entry.entry) · \
            \(HTML.escape(Format.date(entry.createdAt))) UTC</td></tr>
            <tr><td>Models</td><td class="mono">\(models)</td></tr>
            <tr><td>Dataset snapshot</td><td class="mono">\(HTML.escape(String(entry.snapshotID.prefix(16))))…</td></tr>
            <tr><td>Seed</td><td class="mono">\(entry.seed)</td></tr>
            <tr><td>Made by</td><td><a href="\(HTML.path("dags", entry.dagID, "runs", entry.runID))">\
            \(HTML.escape(entry.dagID)) / \(HTML.escape(entry.runID))</a>
            \(session == nil ? "<span class=\"muted small\">(monitoring, login required)</span>" : "")</td></tr>
            </table></div></div></div>
            """
        if let latest, !batchEntries.isEmpty {
            html += "<h2>Latest batch <span class=\"muted\">\(HTML.escape(latest.batch)) · \(latest.entries) fake anime · "
                + "\(HTML.escape(Format.date(latest.createdAt))) UTC</span>"
                + "</h2>"
            html += "<div class=\"card\"><div class=\"batch-grid\">"
            for item in batchEntries {
                html += "<a href=\"\(HTML.escape(permalink(item)))\" title=\"\(HTML.escape(item.title))\">"
                html += "<img src=\"\(HTML.escape(fileURL(item.poster)))\" alt=\"\" loading=\"lazy\" width=\"120\" height=\"120\">"
                    + "<span>\(HTML.escape(item.title))</span></a>"
            }
            html += "</div></div>"
        }
        return html
    }

    /// `/archive/<batch>/<file>` for a path relative to the home (`archive/<batch>/<file>`).
    static func fileURL(_ relative: String) -> String {
        "/" + relative.split(separator: "/").map { HTML.segment(String($0)) }.joined(separator: "/")
    }

    static func permalink(_ entry: ArchiveEntryRecord) -> String {
        "/?batch=\(HTML.segment(entry.batch))&entry=\(entry.entry)"
    }
}
