import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// Durable append latency next to the disk's own floor: a raw 200-byte write + fdatasync on the same
/// file system, interleaved in the same run so both see the same disk and load.
enum AppendBench {
    static func run(dir: String, n: Int) {
        let journalPath = dir + "/bench-append-\(getpid()).journal"
        let rawPath = dir + "/bench-raw-\(getpid()).bin"
        defer { unlink(journalPath); unlink(rawPath) }
        let journal = try! FileJournal(path: journalPath, create: true)
        let rawFD = open(rawPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        let raw = [UInt8](repeating: 0x61, count: 200)
        var tj: [Double] = [], tr: [Double] = []
        let ticket = StressWriter.ticketID(writer: 1, n: 1)
        _ = try! journal.append([Event(ticket: ticket, at: Instant(ms: 0), actor: "bench",
                                       kind: .created(TicketOpening(channel: .email, customer: Customer(name: "b"), subject: "bench")))], expecting: [:])
        // 200 bytes on disk per record: 44 bytes of framing and a 156-byte payload.
        let body = String(repeating: "y", count: 200 - 44 - 8)
        var version: UInt32 = 1
        for i in 0..<n {
            let e = Event(ticket: ticket, at: Instant(ms: Int64(i)), actor: "anna", kind: .note(body: body))
            let t0 = nanos()
            _ = try! journal.append([e], expecting: [ticket: version])
            let t1 = nanos()
            version += 1
            _ = raw.withUnsafeBytes { write(rawFD, $0.baseAddress!, 200) }
            fdatasync(rawFD)
            let t2 = nanos()
            tj.append(Double(t1 - t0) / 1000)
            tr.append(Double(t2 - t1) / 1000)
        }
        close(rawFD)
        let recordSize = Double((journal.endOffset - 64)) / Double(n + 1)
        tj.sort(); tr.sort()
        let mj = percentile(tj, 0.5), mr = percentile(tr, 0.5)
        print("durable append, \(n) records of \(Int(recordSize)) bytes, \(dir)")
        print("  qdeck append (flock + catch-up + version check + write + fdatasync): median \(f1(mj)) µs, p99 \(f1(percentile(tj, 0.99))) µs")
        print("  raw 200-byte write + fdatasync:                                    median \(f1(mr)) µs, p99 \(f1(percentile(tr, 0.99))) µs")
        print("  ratio (median): \(String(format: "%.2f", mj / mr))×   target ≤ 1.5×")
    }
}
