import Foundation
import Hummingbird
import Store
import Workflow

extension Dashboard {
    /// `/assets` (login required): every asset the DAGs produce or are scheduled on, with its producers, consumers and
    /// latest event; `/assets/{name}`: its events, newest first, and the runs each caused (`nightshift assets`).
    func addAssetRoutes(to router: Router<DashboardRequestContext>) {
        router.get("/assets") { _, context in
            let summaries = try await self.store.assetSummaries()
            return HTML.response(self.page(
                title: "Assets", session: context.session, body: Self.assetsBody(self.configuration.bag, summaries: summaries), active: "assets"))
        }
        router.get("/assets/:asset") { request, context in
            let asset = try context.parameter("asset")
            let (limit, _) = try Self.pagination(request, defaultLimit: 100, maxLimit: 1000)
            let events = try await self.store.assetEvents(of: asset, limit: limit)
            let bag = self.configuration.bag
            guard bag.assets.contains(asset) || !events.isEmpty else {
                throw HTTPError(.notFound, message: "unknown asset '\(asset)': no task lists it in its outlets and no DAG is scheduled on it")
            }
            let caused = try await self.store.runsCaused(by: events.map(\.id))
            return HTML.response(self.page(
                title: asset, session: context.session, body: Self.assetBody(asset, bag: bag, events: events, caused: caused), active: "assets"))
        }
    }

    private static func dagLinks(_ ids: [String]) -> String {
        ids.isEmpty ? "<span class=\"muted\">none</span>" : ids.map { "<a href=\"\(HTML.path("dags", $0))\">\(HTML.escape($0))</a>" }.joined(separator: ", ")
    }

    private static func producerLinks(_ producers: [String]) -> String {
        producers.isEmpty ? "<span class=\"muted\">none</span>" : producers.map { producer -> String in
            let dagID = String(producer.prefix { $0 != "." })
            return "<a href=\"\(HTML.path("dags", dagID))\">\(HTML.escape(producer))</a>"
        }.joined(separator: ", ")
    }

    static func assetsBody(_ bag: DAGBag, summaries: [AssetSummary]) -> String {
        let byName = Dictionary(uniqueKeysWithValues: summaries.map { ($0.asset, $0) })
        let names = Set(bag.assets).union(byName.keys).sorted()
        var rows = ""
        for name in names {
            let summary = byName[name]
            rows += "<tr><td><a href=\"\(HTML.path("assets", name))\">\(HTML.escape(name))</a></td>"
                + "<td>\(producerLinks(bag.producers(of: name)))</td><td>\(dagLinks(bag.consumers(of: name)))</td>"
                + "<td class=\"num\">\(summary?.events ?? 0)</td><td class=\"mono\">\(Format.date(summary?.lastEventAt))</td></tr>\n"
        }
        return """
            <h1>Assets</h1>
            <p class="sub">Data the DAGs update (a task's <code>outlets</code>: each successful try records an event) and run on \
            (<code>schedule: .assets([…])</code>: one run once every asset named has a new event). Also <code>nightshift assets list</code>.</p>
            \(names.isEmpty ? "<p class=\"muted\">No assets: no task lists outlets and no DAG is scheduled on assets.</p>" : """
            <div class="card"><table><thead><tr><th>Asset</th><th>Updated by</th><th>Schedules</th><th class="num">Events</th>\
            <th>Last event (UTC)</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            """)
            """
    }

    static func assetBody(_ asset: String, bag: DAGBag, events: [AssetEvent], caused: [Int64: [(dagID: String, runID: String)]]) -> String {
        var rows = ""
        for event in events {
            let source = "<a href=\"\(HTML.path("dags", event.dagID, "runs", event.runID))\">\(HTML.escape(event.runID))</a>"
            let runs = (caused[event.id] ?? []).map { "<a href=\"\(HTML.path("dags", $0.dagID, "runs", $0.runID))\">\(HTML.escape($0.dagID)): \(HTML.escape($0.runID))</a>" }
            rows += "<tr><td class=\"mono\">\(Format.date(event.at))</td><td>\(HTML.escape(event.dagID)).\(HTML.escape(event.taskID))</td>"
                + "<td>\(source)</td><td class=\"mono\">\(event.extra.map { HTML.escape($0.jsonText) } ?? "-")</td>"
                + "<td>\(runs.isEmpty ? "<span class=\"muted\">none</span>" : runs.joined(separator: "<br>"))</td></tr>\n"
        }
        return """
            <h1>\(HTML.escape(asset))</h1>
            <p class="sub"><a href="/assets">Assets</a> · updated by \(producerLinks(bag.producers(of: asset))) · schedules \
            \(dagLinks(bag.consumers(of: asset)))</p>
            \(events.isEmpty ? "<p class=\"muted\">No events yet.</p>" : """
            <div class="card"><table><thead><tr><th>At (UTC)</th><th>From</th><th>Run</th><th>Extra</th><th>Runs it caused</th></tr></thead>
            <tbody>
            \(rows)</tbody></table></div>
            """)
            """
    }
}
