import FakeAnime
import Foundation
import Testing

/// The pipeline's pieces that need no model: the registry, the gate, the poster statistics, batch files.
@Suite struct PipelinePiecesTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func meta(_ kind: ModelKind, parent: String? = nil) -> ModelVersion {
        ModelVersion(
            kind: kind, version: "", snapshotID: "snap", dagID: "anime_nightly", runID: "run", parent: parent, status: .candidate,
            metrics: ["train_loss": 1.5], configuration: "test", steps: 3, createdAt: Date(timeIntervalSince1970: 1_000_000))
    }

    @Test func versionsAreNumberedWrittenWholeAndAcceptedByPointer() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = ModelRegistry(root: root)
        #expect(try registry.accepted(.titles) == nil)
        let first = try registry.addVersion(meta(.titles)) { directory in
            try Data("weights".utf8).write(to: directory.appendingPathComponent(ModelRegistry.checkpointFile))
        }
        let second = try registry.addVersion(meta(.titles, parent: "v1")) { _ in }
        #expect([first.version, second.version] == ["v1", "v2"])
        #expect(try String(contentsOf: registry.checkpointURL(.titles, "v1"), encoding: .utf8) == "weights")
        #expect(try registry.versions(.titles).map(\.version) == ["v1", "v2"])
        #expect(try registry.meta(.titles, "v2").parent == "v1")
        try registry.setAccepted(.titles, "v2")
        var accepted = try #require(try registry.accepted(.titles))
        #expect(accepted.version == "v2")
        accepted.status = .accepted
        accepted.reason = "first model"
        try registry.updateMeta(accepted)
        #expect(try registry.meta(.titles, "v2").status == .accepted)
        // Nothing half-written is left behind, and other kinds are untouched.
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("titles").path).filter { !$0.hasPrefix(".") }
        #expect(names.sorted() == ["ACCEPTED", "history.jsonl", "v1", "v2"])
        #expect(try registry.versions(.posters).isEmpty)
    }

    @Test func promoteAndRollbackMoveAcceptedAndKeepTheirHistory() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = ModelRegistry(root: root)
        for _ in 1...4 { _ = try registry.addVersion(meta(.posters)) { _ in } }
        #expect(throws: PipelineError(.noRollbackTarget(kind: .posters, current: nil))) { try registry.rollback(.posters, actor: "ops") }
        let t = Date(timeIntervalSince1970: 2_000_000)
        try registry.setAccepted(.posters, "v1", actor: "anime_nightly run r1", reason: "first", at: t)
        try registry.setAccepted(.posters, "v3", actor: "anime_nightly run r3", reason: "better", at: t + 1)
        // An operator prefers v2 (which the gate never accepted), then undoes it: back to v3, then to v1 (the version
        // before v3 came into use), and no further.
        let promoted = try registry.promote(.posters, "v2", actor: "alice", reason: "sharper faces", at: t + 2)
        #expect(promoted == AcceptedChange(at: t + 2, kind: .posters, version: "v2", previous: "v3", action: .promote, actor: "alice", reason: "sharper faces"))
        #expect(try registry.accepted(.posters)?.version == "v2")
        #expect(try registry.rollback(.posters, actor: "bob", at: t + 3).version == "v3")
        #expect(try registry.rollback(.posters, actor: "bob", at: t + 4).version == "v1")
        #expect(throws: PipelineError(.noRollbackTarget(kind: .posters, current: "v1"))) { try registry.rollback(.posters, actor: "bob") }
        #expect(try registry.rollback(.posters, to: "v4", actor: "carol", at: t + 5).version == "v4")
        #expect(try registry.accepted(.posters)?.version == "v4")
        let history = registry.history(.posters)
        #expect(history.map(\.version) == ["v1", "v3", "v2", "v3", "v1", "v4"])
        #expect(history.map(\.action) == [.gate, .gate, .promote, .rollback, .rollback, .rollback])
        #expect(history.map(\.actor) == ["anime_nightly run r1", "anime_nightly run r3", "alice", "bob", "bob", "carol"])
        #expect(history.map(\.previous) == [nil, "v1", "v3", "v2", "v3", "v1"])
        // Unknown names change nothing and name the versions that exist.
        let unknown = PipelineError(.unknownModelVersion(kind: .posters, version: "v9", known: ["v1", "v2", "v3", "v4"]))
        #expect(throws: unknown) { try registry.promote(.posters, "v9", actor: "alice") }
        #expect(throws: PipelineError.self) { try registry.rollback(.posters, to: "../titles/v1", actor: "alice") }
        #expect(unknown.description == "no posters model version 'v9'; known: v1, v2, v3, v4")
        #expect(try registry.accepted(.posters)?.version == "v4")
        #expect(registry.history(.posters).count == 6)
        // A torn last line (a crash mid-append) is skipped, not fatal.
        let handle = try FileHandle(forWritingTo: root.appendingPathComponent("posters/history.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"at\": \"20".utf8))
        try handle.close()
        #expect(registry.history(.posters).count == 6)
        try registry.promote(.posters, "v2", actor: "alice", at: t + 6)
        #expect(registry.history(.posters).map(\.version) == ["v1", "v3", "v2", "v3", "v1", "v4", "v2"])
    }

    @Test func withoutHistoryRollbackGoesToTheNewestEarlierAcceptedVersion() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = ModelRegistry(root: root)
        for status in [ModelVersion.Status.accepted, .accepted, .rejected, .accepted] {
            var version = try registry.addVersion(meta(.titles)) { _ in }
            version.status = status
            try registry.updateMeta(version)
        }
        // A home from before the history was kept: ACCEPTED written directly.
        try Data("v4\n".utf8).write(to: root.appendingPathComponent("titles/ACCEPTED"))
        #expect(try registry.rollbackTarget(.titles).version == "v2")
    }

    /// Snapshot ids are content addresses that homes already hold: the SHA-256 behind them (swift-crypto now, a
    /// hand-written one before) must give the same id for the same content. The literal is Python's hashlib over the
    /// same scheme.
    @Test func snapshotIDsArePinned() {
        let entries = [
            SnapshotEntry(
                malID: 5, title: "Hajimete no \"Otsukai\"", titleRaw: "", synopsis: "Ünïcode & tabs\tinside", synopsisRaw: "", genres: [],
                posterPNG: Array((0..<5).flatMap { _ in (0...255).map { UInt8($0) } })),
            SnapshotEntry(
                malID: 1, title: "Cowboy Bebop", titleRaw: "", synopsis: "In 2071, bounty hunters roam.", synopsisRaw: "", genres: ["Action", "Sci-Fi"],
                posterPNG: [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]),
        ]
        #expect(SnapshotWriter.snapshotID(of: entries) == "20c69b8327db79724be52740f7036037d694b836471f192368d1a6472a468f72")
        #expect(SnapshotWriter.snapshotID(of: entries.reversed()) == SnapshotWriter.snapshotID(of: entries))
    }

    @Test func aFailedWriteLeavesNoVersion() throws {
        struct DiskFull: Error {}
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = ModelRegistry(root: root)
        #expect(throws: DiskFull.self) { _ = try registry.addVersion(meta(.posters)) { _ in throw DiskFull() } }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("posters").path).isEmpty)
    }

    @Test func unreadableMetaIsAnErrorNamingTheFile() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let registry = ModelRegistry(root: root)
        let directory = registry.directory(.synopses, "v1")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: directory.appendingPathComponent(ModelRegistry.metaFile))
        try Data("v1\n".utf8).write(to: root.appendingPathComponent("synopses/ACCEPTED"))
        #expect {
            _ = try registry.accepted(.synopses)
        } throws: { error in
            "\(error)".contains("cannot read model metadata \(directory.path)/meta.json")
        }
    }

    @Test func theGateAcceptsWithinToleranceAndRejectsWorseOrDiverged() {
        let gate = QualityGate(tolerance: 0.05)
        let first = gate.decide(metric: "heldout_loss", candidate: 4.2, accepted: nil)
        #expect(first.accepted && first.reason.contains("first model"))
        let better = gate.decide(metric: "heldout_loss", candidate: 3.9, accepted: 4.0)
        #expect(better.accepted && better.reason == "heldout_loss 3.9 vs accepted 4 (-2.5%, better)")
        let slightlyWorse = gate.decide(metric: "heldout_loss", candidate: 4.19, accepted: 4.0)
        #expect(slightlyWorse.accepted && slightlyWorse.reason.hasSuffix("(+4.75%, within the 5% tolerance)"))
        let worse = gate.decide(metric: "heldout_loss", candidate: 4.5, accepted: 4.0)
        #expect(!worse.accepted)
        #expect(worse.reason == "heldout_loss 4.5 is 12.5% worse than the accepted 4 (tolerance 5%); keeping the accepted model")
        let diverged = gate.decide(metric: "heldout_loss", candidate: .nan, accepted: 4.0)
        #expect(!diverged.accepted && diverged.reason.contains("diverged"))
        #expect(!QualityGate(tolerance: 0.05).decide(metric: "m", candidate: .infinity, accepted: nil).accepted)
    }

    @Test func pixelStatisticsTellFlatGreyFromVariedImages() {
        let size = 16
        var generator = SystemRandomNumberGenerator()
        let varied = (0..<(20 * 3 * size * size)).map { _ in Float.random(in: -1...1, using: &generator) }
        let alsoVaried = (0..<(20 * 3 * size * size)).map { _ in Float.random(in: -1...1, using: &generator) }
        let grey = [Float](repeating: 0, count: 20 * 3 * size * size)
        let real = PixelStatistics(pixels: varied, count: 20, size: size)
        let close = real.distance(to: PixelStatistics(pixels: alsoVaried, count: 20, size: size))
        let far = real.distance(to: PixelStatistics(pixels: grey, count: 20, size: size))
        #expect(real.distance(to: real) == 0)
        #expect(close < far, "noise-like sets \(close) should be closer to each other than to flat grey \(far)")
        #expect(far > 0.1)
    }

    @Test func batchManifestsRoundTripAndMissingOnesNameTheBatch() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let manifest = BatchManifest(
            batch: "20261123-030000-abcdef12", dagID: "anime_nightly", runID: "r", snapshotID: "s",
            modelVersions: ["titles": "v1"], createdAt: Date(timeIntervalSince1970: 1_700_000_000),
            entries: [.init(entry: 0, title: "T", synopsis: "S.", poster: "000.png", posterDisplay: "000-display.png", seed: 42)])
        try manifest.write(to: root)
        #expect(try BatchManifest.load(from: root) == manifest)
        let missing = root.appendingPathComponent("nope")
        #expect(throws: PipelineError.self) { _ = try BatchManifest.load(from: missing) }
        do { _ = try BatchManifest.load(from: missing) } catch { #expect("\(error)".hasPrefix("batch nope: cannot read batch.json")) }
    }

    @Test func batchIDsSortByTimeAndDifferByRun() {
        let date = Date(timeIntervalSince1970: 1_795_402_800)  // 2026-11-23T03:00:00Z
        let id = ArchiveLayout.batchID(runID: "scheduled__2026-11-23T03:00:00+00:00", at: date)
        #expect(id.hasPrefix("20261123-030000-"))
        #expect(id.count == "20261123-030000-".count + 8)
        #expect(id != ArchiveLayout.batchID(runID: "another", at: date))
        #expect(ArchiveLayout.batchID(runID: "x", at: date) < ArchiveLayout.batchID(runID: "x", at: date.addingTimeInterval(60)))
    }

    @Test func movingAMissingStagedBatchIsAnError() throws {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let layout = ArchiveLayout(root: root)
        #expect(throws: PipelineError.self) { try layout.moveIntoPlace("ghost") }
        try FileManager.default.createDirectory(at: layout.staged("real"), withIntermediateDirectories: true)
        try layout.moveIntoPlace("real")
        #expect(FileManager.default.fileExists(atPath: layout.published("real").path))
        #expect(!FileManager.default.fileExists(atPath: layout.staged("real").path))
    }
}
