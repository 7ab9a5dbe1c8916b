import Foundation
import QueueDeckDomain
import QueueDeckJournal
import Testing

/// Several processes append to one journal while some are killed with SIGKILL at random moments.
/// Every acknowledged event must be present exactly once, with contiguous sequence numbers.
@Suite struct JournalConcurrencyTests {
    final class Writer {
        let id: Int
        var next = 0
        var runs = 0
        var acked: [String] = []
        var process: Process?
        var outputPath = ""
        init(id: Int) { self.id = id }
    }

    @Test func killedWritersNeverLoseAcknowledgedEvents() throws {
        let s = Scratch()
        let writers = (1...5).map { Writer(id: $0) }
        let perWriter = 800
        var rng = SystemRandomNumberGenerator()
        var kills = 0

        /// Each run writes its acknowledgements (unbuffered, one write per line) to its own file.
        func start(_ w: Writer) throws {
            w.runs += 1
            w.outputPath = s.dir + "/writer-\(w.id)-\(w.runs).out"
            FileManager.default.createFile(atPath: w.outputPath, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Harness.binDir + "/qdeck-bench")
            p.arguments = ["stress-writer", s.journal, String(w.id), String(w.next), String(perWriter - w.next)]
            p.standardOutput = FileHandle(forWritingAtPath: w.outputPath)!
            p.standardError = FileHandle.nullDevice
            try p.run()
            w.process = p
        }

        /// Reads what a finished or killed run acknowledged and where the next run resumes.
        func collect(_ w: Writer) {
            w.process?.waitUntilExit()
            let text = String(decoding: FileManager.default.contents(atPath: w.outputPath) ?? Data(), as: UTF8.self)
            var maxN = w.next - 1
            for line in text.split(separator: "\n") {
                let f = line.split(separator: " ")
                guard f.count >= 2, let n = f[1].split(separator: "-").last.flatMap({ Int($0) }) else { continue }
                if f[0] == "ack", f.count == 3 { w.acked.append(String(f[1])) }
                maxN = max(maxN, n)
            }
            w.next = maxN + 1
        }

        for w in writers { try start(w) }
        let deadline = Date().addingTimeInterval(90)
        while writers.contains(where: { $0.process?.isRunning == true }) && Date() < deadline {
            usleep(UInt32.random(in: 1_000...12_000, using: &rng))
            let running = writers.filter { $0.process?.isRunning == true }
            guard let victim = running.randomElement(using: &rng), kills < 80 else { continue }
            kill(victim.process!.processIdentifier, SIGKILL)
            kills += 1
            collect(victim)
            if victim.next < perWriter { try start(victim) }
        }
        for w in writers { collect(w) }
        #expect(kills >= 20, "only \(kills) kills")
        #expect(writers.allSatisfy { $0.next == perWriter }, "writers finished: \(writers.map(\.next))")

        // A final append cuts any torn tail a killed writer left.
        let j = try FileJournal(path: s.journal)
        let all = try j.readNew()
        #expect(all.map(\.seq) == Array(1...UInt64(all.count)))
        let subjects = all.map { e -> String in
            if case .created(let o) = e.event.kind { return o.subject } else { return "?" }
        }
        var seen: [String: Int] = [:]
        for sub in subjects { seen[sub, default: 0] += 1 }
        #expect(seen.values.allSatisfy { $0 == 1 }, "an event was stored twice")
        let acked = writers.flatMap(\.acked)
        #expect(acked.count >= 3000)
        let missing = acked.filter { seen[$0] == nil }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(5))")
        #expect(all.count == 5 * perWriter)
        let report = try JournalRepair.verify(path: s.journal)
        #expect(report.damage.isEmpty)
    }

    @Test func followerSeesAnotherProcessAppend() throws {
        let s = Scratch()
        _ = try s.newTicket(subject: "first")
        let journal = try FileJournal(path: s.journal, writable: false)
        let follower = FileFollower(path: s.journal, pollFallbackMillis: 5_000)
        #expect(try journal.readNew().count == 1)
        let started = Date()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: Harness.binDir + "/qdeck")
        child.arguments = ["--journal", s.journal, "new", "chat", "--customer", "Eglė", "--subject", "second"]
        child.standardOutput = FileHandle.nullDevice
        try child.run()
        var seen: [StoredEvent] = []
        let ok = try Harness.eventually(within: 10) {
            follower.wait(timeoutMillis: 200)
            seen += try journal.readNew()
            return !seen.isEmpty
        }
        child.waitUntilExit()
        #expect(ok)
        #expect(seen.count == 1)
        if case .created(let o) = seen.first?.event.kind { #expect(o.subject == "second") } else { Issue.record("expected a created event") }
        #expect(Date().timeIntervalSince(started) < 5, "woken by inotify, not by the 5 s poll fallback")
    }
}

