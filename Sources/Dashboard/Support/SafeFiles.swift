import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files served only from inside their root: a `../` segment (plain or percent-encoded), an absolute path, or a
/// symlink that leads out of the root resolves to nil, which the routes turn into a 404.
enum SafeFiles {
    /// The real path of `path` (symlinks resolved), or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The regular file at `root/segments…`, when every segment is a plain name and the real path stays in `root`.
    /// - Parameter segments: raw URL path segments (percent-encoded); each is decoded once.
    static func resolve(root: URL, segments: [Substring]) -> String? {
        guard !segments.isEmpty else { return nil }
        var path = root.path
        for raw in segments {
            guard let segment = String(raw).removingPercentEncoding, !segment.isEmpty, segment != ".", segment != "..",
                !segment.contains("/"), !segment.contains("\\"), !segment.contains("\0")
            else { return nil }
            path += "/" + segment
        }
        return contained(path, in: root.path)
    }

    /// `path` (absolute, e.g. from the store) when its real path is a regular file inside `rootPath`'s real path.
    static func contained(_ path: String, in rootPath: String) -> String? {
        guard path.hasPrefix("/"), let real = realPath(path), let realRoot = realPath(rootPath) else { return nil }
        guard real.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else { return nil }
        guard (try? FileManager.default.attributesOfItem(atPath: real))?[.type] as? FileAttributeType == .typeRegular else { return nil }
        return real
    }

    /// The media type of an image or text file by extension.
    static func mediaType(of path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "json": "application/json"
        case "txt", "log": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// Reads up to `limit` bytes from `offset` of the file at `path`.
    static func read(_ path: String, offset: UInt64 = 0, limit: Int) -> (data: Data, size: UInt64)? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let start = min(offset, size)
        try? handle.seek(toOffset: start)
        let data = (try? handle.read(upToCount: limit)) ?? Data()
        return (data, size)
    }
}
