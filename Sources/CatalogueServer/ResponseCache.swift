/// Bodies already rendered (pages as JSON, posters as JPEG), so each is encoded once per server.
///
/// Rendering happens outside the actor, in the request's task, so several posters encode in parallel; when two
/// requests race for the same uncached key, both render the same deterministic bytes and the first stored wins.
actor ResponseCache {
    enum Key: Hashable, Sendable {
        case page(Int)
        case poster(Int)
        case corruptPoster(Int)
    }

    private var bodies: [Key: CachedBody] = [:]

    func body(for key: Key) -> CachedBody? { bodies[key] }

    /// Stores `body` unless one is already there, and returns the stored one.
    func store(_ body: CachedBody, for key: Key) -> CachedBody {
        if let existing = bodies[key] { return existing }
        bodies[key] = body
        return body
    }

    /// The cached body for `key`, rendering and storing it first if needed.
    nonisolated func body(for key: Key, render: @Sendable () throws -> CachedBody) async throws -> CachedBody {
        if let cached = await body(for: key) { return cached }
        return await store(try render(), for: key)
    }
}
