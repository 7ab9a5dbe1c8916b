import NIOCore
import PostgresNIO
import QueueDeckJournal

/// Attachments in the journal's database (`qdeck_blobs`), stored through `qdeck_put_blob`, which
/// checks the digest itself. Every put is its own committed transaction, so nothing is deferred.
final class PostgresBlobStore: BlobStore {
    let link: PostgresLink

    init(link: PostgresLink) {
        self.link = link
    }

    func put(_ bytes: [UInt8], deferSync: Bool) throws(JournalError) -> BlobDigest {
        let digest = BlobDigest(of: bytes)
        let hex = digest.hex, buffer = ByteBuffer(bytes: bytes)
        try link.run { c in try await PostgresLink.execute(c, "SELECT qdeck_put_blob(\(hex), \(buffer))") }
        return digest
    }

    func syncDeferred() throws(JournalError) {}

    private func stored(_ digest: BlobDigest) throws(JournalError) -> [UInt8]? {
        let hex = digest.hex
        return try link.run(retry: true) { c in
            for try await (b,) in try await c.query("SELECT bytes FROM qdeck_blobs WHERE digest = \(hex)", logger: PostgresLink.logger).decode(ByteBuffer.self) {
                return Array(b.readableBytesView)
            }
            return nil
        }
    }

    func get(_ digest: BlobDigest) throws(JournalError) -> [UInt8] {
        guard let bytes = try stored(digest) else {
            throw .refused(path: "\(link.name): attachment \(digest.hex)", reason: "missing: the attachment is not in the store")
        }
        guard BlobDigest(of: bytes) == digest else {
            throw .database(name: link.name, reason: "attachment \(digest.hex) is damaged (its bytes have another digest)")
        }
        return bytes
    }

    func check(_ digest: BlobDigest) -> BlobCheck {
        do {
            guard let bytes = try stored(digest) else { return .missing }
            return BlobDigest(of: bytes) == digest ? .intact : .damaged("its bytes have another digest")
        } catch {
            return .unreadable("\(error)")
        }
    }
}
