import QueueDeckDomain
import QueueDeckJournal
import QueueDeckPostgres

/// `qdeck log copy SRC DST`: a desk moved between backends with its history as it was (sequence
/// numbers, versions, actors, times, the journal's UUID, birth and demo mark) and every attached
/// file. The source is only read; the destination must be new (a file) or empty (a database).
public enum JournalCopy {
    public struct Report: Sendable {
        public var events: UInt64
        public var files: Int
    }

    public static func copy(from source: JournalLocation, to destination: JournalLocation) throws(JournalError) -> Report {
        let from = try source.open(writable: false)
        guard from.uuid.count == 16, let created = from.created else {
            throw .missing(path: source.name)
        }
        // One pass over the source: each event goes over as it is read, and the files the events
        // name are noted, then copied before the copy is visible (a journal that names a file must
        // find it): a file journal is linked into place first and its store follows it (the store
        // takes the journal's group); a database takes them in the same transaction.
        var digests: [BlobDigest] = []
        var seen = Set<String>()
        let note = { (e: StoredEvent) in
            guard case .attached(let files) = e.event.kind else { return }
            for f in files { if let hex = f.digest, seen.insert(hex).inserted, let d = BlobDigest(hex: hex) { digests.append(d) } }
        }
        let events: UInt64
        switch destination {
        case .file(let path):
            try destination.prepare()
            let writer = try JournalFileWriter(path: path, uuid: from.uuid, created: created, demo: from.isDemo)
            var failure: JournalError?
            try from.readNew { e in
                guard failure == nil else { return }
                note(e)
                do throws(JournalError) { try writer.add(e) } catch { failure = error }
            }
            if let failure { throw failure }
            events = try writer.finish()
            try copyFiles(digests, from: from.blobs, to: FileBlobStore(journal: path))
        case .postgres(let address, _):
            let to = try PostgresJournal(address: address)
            events = try to.importHistory(uuid: from.uuid, created: created, demo: from.isDemo,
                                          files: { () throws(JournalError) in try copyFiles(digests, from: from.blobs, to: to.blobs) }) { each throws(JournalError) in
                try from.readNew { e in
                    note(e)
                    each(e)
                }
            }
        }
        return Report(events: events, files: digests.count)
    }

    private static func copyFiles(_ digests: [BlobDigest], from: any BlobStore, to: any BlobStore) throws(JournalError) {
        for d in digests {
            let stored = try to.put(try from.get(d), deferSync: true)
            guard stored == d else { throw .refused(path: "attachment \(d.hex)", reason: "copied as \(stored.hex)") }
        }
        try to.syncDeferred()
    }
}
