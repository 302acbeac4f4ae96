import Foundation

extension DAGStructure {
    /// What changed between a stored definition (its ``json``) and this one, in words: tasks added, removed and
    /// changed, e.g. "added publish; removed cleanup; changed fetch". Empty when the old text cannot be read or no
    /// task changed (only DAG-level settings did).
    public static func describeChange(from oldJSON: String, to new: DAGStructure) -> String {
        guard let old = try? JSONDecoder().decode(DAGStructure.self, from: Data(oldJSON.utf8)) else { return "" }
        let before = Dictionary(old.tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let added = new.tasks.map(\.id).filter { before[$0] == nil }
        let removed = old.tasks.map(\.id).filter { after[$0] == nil }
        let changed = new.tasks.filter { task in before[task.id].map { $0 != task } ?? false }.map(\.id)
        var parts: [String] = []
        if !added.isEmpty { parts.append("added \(added.joined(separator: ", "))") }
        if !removed.isEmpty { parts.append("removed \(removed.joined(separator: ", "))") }
        if !changed.isEmpty { parts.append("changed \(changed.joined(separator: ", "))") }
        return parts.joined(separator: "; ")
    }
}
