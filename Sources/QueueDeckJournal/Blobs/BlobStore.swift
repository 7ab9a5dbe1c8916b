import Crypto
import QueueDeckDomain

/// Where a journal keeps the files customers and agents attach: each stored once, named by the
/// SHA-256 of its bytes, so a second copy costs nothing and a damaged one is told apart.
/// docs/JOURNAL.md says how the file journal lays them out.
public protocol BlobStore: AnyObject {
    /// Stores `bytes` and gives their digest; stored bytes are kept. Synced before returning, or with
    /// `deferSync` (an import storing many) by the next `syncDeferred()`, which must run before
    /// anything naming them is appended.
    func put(_ bytes: [UInt8], deferSync: Bool) throws(JournalError) -> BlobDigest
    /// Makes every deferred put durable (one sync for a whole batch).
    func syncDeferred() throws(JournalError)
    /// The bytes stored under `digest`, checked against it.
    func get(_ digest: BlobDigest) throws(JournalError) -> [UInt8]
    /// Whether the bytes under `digest` are there and whole (`log verify`).
    func check(_ digest: BlobDigest) -> BlobCheck
}

extension BlobStore {
    /// Stores `bytes` durably.
    public func put(_ bytes: [UInt8]) throws(JournalError) -> BlobDigest { try put(bytes, deferSync: false) }

    /// A file the user chose to send (`reply --attach`, the console's `Attach:` line): read as this
    /// user, refused over `limit` bytes, stored, and described by its name and the type `typeOf` gives.
    public func storeFile(_ path: String, limit: Int64, typeOf: (String) -> String) throws(JournalError) -> AttachmentRef {
        let bytes = try GuardedFile.readChosen(path, limit: limit)
        let name = String(path.split(separator: "/").last ?? "attachment")
        return AttachmentRef(name: name, type: typeOf(name), size: Int64(bytes.count), digest: try put(bytes).hex)
    }
}

public enum BlobCheck: Equatable, Sendable {
    case intact
    case missing
    /// There, but this user may not read it (the store's group or mode): not damage.
    case unreadable(String)
    case damaged(String)
}

/// A SHA-256 digest as 64 lower-case hex digits: the only names the store knows.
public struct BlobDigest: Hashable, Sendable, CustomStringConvertible {
    public let hex: String

    /// Nil unless `hex` is exactly 64 lower-case hex digits (a name from the journal is checked
    /// before it becomes a file name).
    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else { return nil }
        self.hex = hex
    }

    public init(of bytes: [UInt8]) {
        var h = SHA256()
        h.update(data: bytes)
        hex = h.finalize().map { b in
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }.joined()
    }

    public var description: String { hex }
}
