import Foundation
import NightshiftTesting
import Store
import Testing

/// The archive tables: publishing is all or nothing, pruning keeps the newest, orphans are found.
@Suite struct ArchiveStoreTests {
    struct Refused: Error {}

    func batch(_ id: String, at seconds: Double, entries: Int = 2) -> (ArchiveBatchRecord, [ArchiveEntryRecord]) {
        let created = Date(timeIntervalSince1970: seconds)
        let versions = ["titles": "v1", "synopses": "v1", "posters": "v2"]
        let records = (0..<entries).map {
            ArchiveEntryRecord(
                batch: id, entry: $0, title: "Title \($0)", synopsis: "Synopsis \($0).", poster: "archive/\(id)/00\($0).png",
                posterDisplay: "archive/\(id)/00\($0)-display.png", seed: Int64($0) * 1_000_003, modelVersions: versions,
                snapshotID: "snap", dagID: "anime_nightly", runID: "run-\(id)", createdAt: created)
        }
        return (
            ArchiveBatchRecord(batch: id, dagID: "anime_nightly", runID: "run-\(id)", snapshotID: "snap", modelVersions: versions,
                entries: entries, createdAt: created),
            records
        )
    }

    @Test(arguments: StoreKind.allCases) func publishRecordsBatchAndEntriesWithLineage(_ kind: StoreKind) async throws {
        try await withTestStore(kind) { store, _ in
            let (record, entries) = batch("b1", at: 100, entries: 3)
            try await store.publishBatch(record, entries: entries) {}
            #expect(try await store.archiveBatches() == [record])
            let stored = try await store.archiveEntries(batch: "b1")
            #expect(stored.map(\.entry) == [0, 1, 2])
            #expect(stored[2].modelVersions == ["titles": "v1", "synopses": "v1", "posters": "v2"])
            #expect(stored[2].seed == 2_000_006)
            #expect(try await store.archiveEntry(batch: "b1", entry: 1)?.title == "Title 1")
            #expect(try await store.archiveEntry(batch: "b1", entry: 9) == nil)
            #expect(try await store.archiveCounts() == (1, 3))
        }
    }

    @Test func aFailedMoveRecordsNothing() async throws {
        try await withTestStore(.walFile) { store, _ in
            let (record, entries) = batch("b1", at: 100)
            do {
                try await store.publishBatch(record, entries: entries) { throw Refused() }
                Issue.record("the publish succeeded although the move failed")
            } catch is Refused {}
            #expect(try await store.archiveBatches().isEmpty)
            #expect(try await store.archiveEntries().isEmpty)
            #expect(try await store.randomArchiveEntry() == nil)
        }
    }

    @Test func publishingABatchTwiceIsAnErrorNamingIt() async throws {
        try await withTestStore(.inMemory) { store, _ in
            let (record, entries) = batch("b1", at: 100)
            try await store.publishBatch(record, entries: entries) {}
            do {
                try await store.publishBatch(record, entries: entries) {}
                Issue.record("a second publish of b1 succeeded")
            } catch let error as StoreError {
                #expect(error.description == "archive batch 'b1' is already published")
            }
            #expect(try await store.archiveCounts() == (1, 2))
        }
    }

    @Test func pruneKeepsTheNewestBatchesAndReturnsTheRemovedOldestFirst() async throws {
        try await withTestStore(.walFile) { store, _ in
            for (index, id) in ["a", "b", "c", "d"].enumerated() {
                let (record, entries) = batch(id, at: Double(100 + index))
                try await store.publishBatch(record, entries: entries) {}
            }
            #expect(try await store.pruneArchive(keepingLatest: 2) == ["a", "b"])
            #expect(try await store.archiveBatches().map(\.batch) == ["d", "c"])
            #expect(Set(try await store.archiveEntries().map(\.batch)) == ["c", "d"])
            #expect(try await store.pruneArchive(keepingLatest: 2).isEmpty)
        }
    }

    @Test func randomEntriesComeFromTheArchive() async throws {
        try await withTestStore(.inMemory) { store, _ in
            let (record, entries) = batch("b1", at: 100, entries: 10)
            try await store.publishBatch(record, entries: entries) {}
            var seen = Set<Int>()
            for _ in 0..<200 { seen.insert(try #require(try await store.randomArchiveEntry()).entry) }
            #expect(seen.count > 5, "200 draws from 10 entries gave only \(seen.sorted())")
        }
    }

    @Test func orphanDirectoriesAreThoseWithoutABatch() async throws {
        try await withTestStore(.walFile) { store, home in
            let root = home.url.appendingPathComponent("archive")
            for name in ["b1", "orphan", ".staging"] {
                try FileManager.default.createDirectory(at: root.appendingPathComponent(name), withIntermediateDirectories: true)
            }
            let (record, entries) = batch("b1", at: 100)
            try await store.publishBatch(record, entries: entries) {}
            #expect(try await store.orphanArchiveDirectories(in: root) == ["orphan"])
        }
    }

    @Test func attachmentsAndVariables() async throws {
        try await withTestStore(.walFile) { store, _ in
            try await store.addAttachment(AttachmentRecord(
                dagID: "d", runID: "r", taskID: "train_posters", tryNumber: 1, name: "sample sheet", path: "models/posters/v1/samples.png",
                mediaType: "image/png", createdAt: Date(timeIntervalSince1970: 5)))
            let attached = try await store.attachments(runID: "r")
            #expect(attached.map(\.path) == ["models/posters/v1/samples.png"])
            #expect(try await store.attachments(runID: "other").isEmpty)
            #expect(try await store.variable("anime.latest_snapshot") == nil)
            try await store.setVariable("anime.latest_snapshot", "one", now: Date())
            try await store.setVariable("anime.latest_snapshot", "two", now: Date())
            #expect(try await store.variable("anime.latest_snapshot") == "two")
        }
    }
}
