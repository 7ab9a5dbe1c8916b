import QueueDeckDomain

/// Everything that can go wrong with a journal, each naming the file and the place.
public enum JournalError: Error, CustomStringConvertible, Sendable {
    case missing(path: String)
    case cannotOpen(path: String, errno: Int32)
    case notAJournal(path: String, reason: String)
    /// The 64-byte file header is damaged but whole records follow it: repair rebuilds the header.
    case damagedHeader(path: String, reason: String)
    case networkFileSystem(path: String, kind: String)
    /// Damage in the middle: valid records follow the bad one. Writing is refused until repaired.
    case damaged(path: String, offset: Int64, afterSeq: UInt64, reason: String, nextValidOffset: Int64)
    case stale(ticket: TicketID, expected: UInt32, actual: UInt32, by: String, at: Instant)
    case lockTimeout(path: String, seconds: Double)
    case writeFailed(path: String, errno: Int32)
    case shortWrite(path: String, wrote: Int, of: Int)
    /// fdatasync failed: the journal stops writing; nothing after this is acknowledged.
    case syncFailed(path: String, errno: Int32)
    case replaced(path: String)
    case io(path: String, operation: String, errno: Int32)
    /// A file qdeck keeps or reads is not a regular file of its own place (a link, a FIFO, a device).
    case refused(path: String, reason: String)
    /// One event's payload is over the format's limit; nothing was written.
    case eventTooLarge(path: String, bytes: Int, limit: Int)
    /// A database journal cannot be reached right now (retry later; nothing was stored).
    case unreachable(name: String, reason: String)
    /// The database refused this login what it asked (its group may not do it).
    case denied(name: String, reason: String)
    /// The database failed the request for another reason, named by the server.
    case database(name: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let p) where p.hasPrefix("postgresql:"):
            return "\(p): no qdeck journal in this database (its administrator makes the database, then runs `qdeck db init` and `qdeck db sync-roster`)"
        case .missing(let p): return "\(p): no journal here (create one with `qdeck new` or `qdeck demo`)"
        case .cannotOpen(let p, let e): return "\(p): cannot open journal: \(errnoText(e))"
        case .notAJournal(let p, let r): return "\(p): not a QueueDeck journal (\(r))"
        case .damagedHeader(let p, let r):
            return "\(p): the journal's file header is damaged (\(r)) though its records follow it; "
                + "run `qdeck log repair` to rebuild the header (`qdeck log dump` still reads every record)"
        case .networkFileSystem(let p, let k):
            return "\(p): on a network file system (\(k)); appends, locks and inotify are not reliable there, so qdeck refuses it"
        case .damaged(let p, let off, let seq, let r, let next):
            return "\(p): damaged at byte \(off) after sequence \(seq) (\(r)); valid records resume at byte \(next). "
                + "Writing is refused; run `qdeck log repair` to move the damaged range aside"
        case .stale(let t, let exp, let act, let by, let at):
            return "ticket \(t) was changed by \(by) at \(at.isoUTC) (now version \(act), you acted on version \(exp)); look at it again, then retry"
        case .lockTimeout(let p, let s): return "\(p): journal locked by another process for \(s) s; try again"
        case .writeFailed(let p, let e): return "\(p): write failed: \(errnoText(e)); nothing was stored"
        case .shortWrite(let p, let w, let n): return "\(p): short write (\(w) of \(n) bytes); truncated back, nothing was stored"
        case .syncFailed(let p, let e):
            return "\(p): fdatasync failed: \(errnoText(e)); the event is not acknowledged and this process stops writing"
        case .replaced(let p): return "\(p): the journal file was replaced (repaired?) while open; restart"
        case .io(let p, let op, let e): return "\(p): \(op) failed: \(errnoText(e))"
        case .refused(let p, let r): return "\(p): \(r)"
        case .eventTooLarge(let p, let b, let l): return "\(p): an event of \(b) bytes is over the limit of \(l) bytes; nothing was stored"
        // What happened first, then where: a console's one-line flash cuts the end of a long address.
        case .unreachable(let n, let r): return "the database cannot be reached; try again. \(n): \(r)"
        case .denied(let n, let r): return "the database refused: \(r) (\(n))"
        case .database(let n, let r): return "\(n): \(r)"
        }
    }
}

func errnoText(_ e: Int32) -> String { String(cString: strerror(e)) + " (errno \(e))" }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
