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
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("titles").path).sorted()
        #expect(names == ["ACCEPTED", "v1", "v2"])
        #expect(try registry.versions(.posters).isEmpty)
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
