import Foundation
import QueueDeckDomain
import QueueDeckBackends
import QueueDeckJournal
import QueueDeckPostgres

/// Appends COUNT ticket creations, one durable append each, printing `ack WRITER-N SEQ` only after
/// the append returned (after fdatasync, or COMMIT in PostgreSQL). The SIGKILL test kills it at
/// random and checks that every acknowledged event is in the journal exactly once. JOURNAL is a
/// file path or a postgresql:// address.
enum StressWriter {
    static func ticketID(writer: Int, n: Int) -> TicketID {
        let a = TicketID.alphabet
        var v = writer * 1_000_003 + n
        var s = ""
        for _ in 0..<11 { s.append(Character(UnicodeScalar(a[v % a.count]))); v /= a.count }
        return TicketID(s)!
    }

    static func run(_ a: [String]) {
        guard a.count == 4, let writer = Int(a[1]), let start = Int(a[2]), let count = Int(a[3]) else {
            FileHandle.standardError.write(Data("stress-writer JOURNAL WRITER START COUNT\n".utf8))
            exit(64)
        }
        do {
            let j = try BenchJournal.location(a[0]).open(create: true)
            for n in start..<(start + count) {
                let id = ticketID(writer: writer, n: n)
                let e = Event(ticket: id, at: Instant(ms: 1_795_000_000_000 + Int64(n)), actor: "w\(writer)",
                              kind: .created(TicketOpening(channel: .chat, customer: Customer(name: "stress"), subject: "\(writer)-\(n)",
                                                           body: String(repeating: "x", count: 120))))
                do {
                    let s = try j.append([e], expecting: [id: 0])
                    FileHandle.standardOutput.write(Data("ack \(writer)-\(n) \(s[0].seq)\n".utf8))
                } catch JournalError.stale {
                    // Written by an earlier run of this writer that was killed before it could acknowledge.
                    FileHandle.standardOutput.write(Data("present \(writer)-\(n)\n".utf8))
                }
            }
        } catch {
            FileHandle.standardError.write(Data("stress-writer: \(error)\n".utf8))
            exit(74)
        }
    }
}

/// A journal named on qdeck-bench's command line: a file path or a postgresql:// address.
enum BenchJournal {
    /// A database's address as qdeck-bench and qdeck take it (no password: the bench's servers trust local logins).
    static func text(_ a: PostgresAddress) -> String { a.shown }

    static func location(_ text: String) -> JournalLocation {
        let env = ProcessInfo.processInfo.environment
        do {
            return try JournalLocation(text, environment: env, user: env["USER"] ?? "root", localFolder: NSTemporaryDirectory(), home: env["HOME"] ?? "/root")
        } catch {
            FileHandle.standardError.write(Data("qdeck-bench: \(error)\n".utf8))
            exit(64)
        }
    }
}
