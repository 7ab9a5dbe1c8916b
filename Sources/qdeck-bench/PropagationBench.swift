import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// `qdeck-bench propagation [DIR] [N]`: live propagation between processes. One writer appends N
/// events (one durable append each, 5 ms apart) while 3 follower processes (`propagation-follower`)
/// wait on the journal (inotify, poll fallback), read and fold each event into their desk state.
/// Latency per event and follower: from just before the writer's `append` call (so `fdatasync` is
/// included) to the follower having applied it. Target (issue 6): p99 under 50 ms.
enum PropagationBench {
    static func realtimeMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    /// `journal`: a postgresql:// address to measure there instead of a file in `dir`.
    static func run(dir: String, n: Int, journal: String? = nil) {
        let root = dir + "/qdeck-propagation-\(getpid())"
        try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = journal ?? root + "/desk.journal"
        let writer = try! BenchJournal.location(path).open(create: true)
        // A desk to follow: 2,000 tickets already there.
        try! writer.append(ReplayBench.events(2_000, start: Instant(ms: 1_795_000_000_000), step: 1_000, writer: 0), expecting: [:])
        var followers: [(Process, String)] = []
        for k in 0..<3 {
            let out = root + "/follower-\(k).out"
            FileManager.default.createFile(atPath: out, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
            p.arguments = ["propagation-follower", path, String(n)]
            p.standardOutput = FileHandle(forWritingAtPath: out)!
            try! p.run()
            followers.append((p, out))
        }
        usleep(500_000)  // followers have opened and read the journal
        let ticket = StressWriter.ticketID(writer: 9, n: 1)
        try! writer.append([Event(ticket: ticket, at: Instant(ms: 1_795_000_000_000), actor: "bench", kind: .created(TicketOpening(
            channel: .chat, customer: Customer(name: "bench"), subject: "propagation")))], expecting: [:])
        var appendMicros: [Double] = []
        for i in 0..<n {
            let t0 = realtimeMicros()
            try! writer.append([Event(ticket: ticket, at: Instant(ms: 1_795_000_000_000 + Int64(i)), actor: "bench",
                                      kind: .note(body: "t0=\(t0) i=\(i)"))], expecting: [:])
            appendMicros.append(Double(realtimeMicros() - t0))
            usleep(5_000)
        }
        var latencies: [Double] = []
        for (p, out) in followers {
            p.waitUntilExit()
            let text = String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self)
            latencies += text.split(separator: "\n").compactMap { Double($0) }
        }
        latencies.sort()
        appendMicros.sort()
        print("propagation\(journal == nil ? "" : " on PostgreSQL (LISTEN/NOTIFY, 1 s catch-up tick)"): \(n) events, 1 writer, 3 follower processes, \(latencies.count) deliveries")
        print("  durable append: median \(f1(percentile(appendMicros, 0.5) / 1000)) ms, p99 \(f1(percentile(appendMicros, 0.99) / 1000)) ms")
        print("  append start → applied in another process: median \(f1(percentile(latencies, 0.5) / 1000)) ms, p99 \(f1(percentile(latencies, 0.99) / 1000)) ms, max \(f1((latencies.last ?? 0) / 1000)) ms (target p99 < 50 ms)")
    }

    /// Follows the journal until it has applied `n` timed notes; prints one latency (µs) per line.
    static func follow(_ args: [String]) {
        let path = args[0], n = Int(args[1])!
        let journal = try! BenchJournal.location(path).open(writable: false)
        var state = DeskState(autoCloseAfter: .days(4))
        state.apply(try! journal.readNew())
        let follower = journal.follower()
        var seen = 0
        var out = ""
        while seen < n {
            follower.wait(timeoutMillis: 100)
            let events = try! journal.readNew()
            state.apply(events)
            let now = realtimeMicros()
            for e in events {
                guard case .note(let body) = e.event.kind, body.hasPrefix("t0="),
                      let t0 = Int64(body.dropFirst(3).prefix { $0 != " " }) else { continue }
                out += "\(now - t0)\n"
                seen += 1
            }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
