public import Foundation
public import Store

/// A Nightshift home in a fresh temporary directory, removed by ``remove()``.
public struct TemporaryHome: Sendable {
    public let home: NightshiftHome

    public init(_ label: String = "test") throws {
        let root = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("nightshift-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        home = NightshiftHome(root)
    }

    public var path: String { home.root.path }

    /// The root directory as a URL.
    public var url: URL { home.root }

    public func remove() { try? FileManager.default.removeItem(at: home.root) }
}

/// Runs `body` with a fresh temporary home that is removed afterwards.
public func withTemporaryHome<T>(_ label: String = "test", _ body: (TemporaryHome) async throws -> T) async throws -> T {
    let home = try TemporaryHome(label)
    defer { home.remove() }
    return try await body(home)
}

/// The kinds of store a test body runs against: the same code over an in-memory database and a WAL file pool.
public enum StoreKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case inMemory, walFile

    public var description: String { rawValue }
}

/// Runs `body` against a new store of `kind`.
public func withTestStore<T>(_ kind: StoreKind, _ body: (StateStore, TemporaryHome) async throws -> T) async throws -> T {
    try await withTemporaryHome("store") { home in
        let store = kind == .inMemory ? try StateStore() : try home.home.openStore()
        return try await body(store, home)
    }
}
