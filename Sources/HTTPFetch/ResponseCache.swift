import Foundation

/// Validators and bodies for conditional GETs, by requested URL: in memory (bounded), and on disk when a
/// directory is configured (one `<hash>.json` + `<hash>.body` pair per URL, each written via temp file + rename).
actor ResponseCache {
    private let directory: URL?
    private let memoryBudget: Int
    private var memory: [String: CachedResponse] = [:]
    private var insertionOrder: [String] = []
    private var memoryBytes = 0

    /// - Parameters:
    ///   - directory: where entries persist across processes; nil keeps them in memory only.
    ///   - memoryBudget: the most body bytes held in memory; the oldest entries are dropped beyond it.
    init(directory: String?, memoryBudget: Int = 64 << 20) {
        self.directory = directory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        self.memoryBudget = memoryBudget
    }

    /// The entry for `url`, from memory or else from disk; nil when there is none or the files don't agree.
    func lookup(_ url: String) -> CachedResponse? {
        if let entry = memory[url] { return entry }
        guard let entry = load(url) else { return nil }
        remember(url, entry)
        return entry
    }

    /// Stores (or replaces) the entry for `url`. Disk failures are ignored: the cache is an optimisation.
    func store(_ url: String, _ entry: CachedResponse) {
        remember(url, entry)
        save(url, entry)
    }

    /// Forgets `url` (the server stopped sending validators, or asked not to store).
    func remove(_ url: String) {
        forget(url)
        guard let (metadata, body) = files(for: url) else { return }
        try? FileManager.default.removeItem(at: metadata)
        try? FileManager.default.removeItem(at: body)
    }

    // MARK: memory

    private func remember(_ url: String, _ entry: CachedResponse) {
        forget(url)
        guard entry.body.count <= memoryBudget else { return }
        memory[url] = entry
        insertionOrder.append(url)
        memoryBytes += entry.body.count
        while memoryBytes > memoryBudget, let oldest = insertionOrder.first {
            forget(oldest)
        }
    }

    private func forget(_ url: String) {
        guard let old = memory.removeValue(forKey: url) else { return }
        memoryBytes -= old.body.count
        insertionOrder.removeAll { $0 == url }
    }

    // MARK: disk

    private func files(for url: String) -> (metadata: URL, body: URL)? {
        guard let directory else { return nil }
        let name = String(FNV1a.hash(url.utf8), radix: 16)
        return (directory.appendingPathComponent(name + ".json"), directory.appendingPathComponent(name + ".body"))
    }

    private func load(_ url: String) -> CachedResponse? {
        guard let (metadataFile, bodyFile) = files(for: url),
              let json = try? Data(contentsOf: metadataFile),
              let metadata = try? JSONDecoder().decode(CacheMetadata.self, from: json),
              metadata.url == url,
              let body = try? Data(contentsOf: bodyFile)
        else { return nil }
        let bytes = [UInt8](body)
        guard bytes.count == metadata.bodyLength, FNV1a.hash(bytes) == metadata.bodyChecksum else { return nil }
        return CachedResponse(metadata: metadata, body: bytes)
    }

    private func save(_ url: String, _ entry: CachedResponse) {
        guard let directory, let (metadataFile, bodyFile) = files(for: url) else { return }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // Body first, then the metadata that vouches for it: a reader never trusts a body its JSON doesn't match.
            try Data(entry.body).write(to: bodyFile, options: .atomic)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try encoder.encode(entry.metadata).write(to: metadataFile, options: .atomic)
        } catch {
            // Best effort: a missing entry only costs a full download next time.
        }
    }
}
