import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// Streams EVENTS realistic events into a journal in batches (group commit), ending at the
/// present, and prints `appended N` after each batch: the wall's soak test follows it.
enum SoakWriter {
    static func run(_ a: [String]) {
        guard a.count == 3, let n = Int(a[1]), let batch = Int(a[2]), batch > 0 else {
            FileHandle.standardError.write(Data("soak-writer JOURNAL EVENTS BATCH\n".utf8))
            exit(64)
        }
        // Tickets one second apart, the last one a few minutes ago: all of it is "today and recent".
        let now = Instant(seconds: Date().timeIntervalSince1970)
        let tickets = Int64(n / 5 + 1)
        let evs = ReplayBench.events(n, start: now - .seconds(tickets + 600), step: 1000, writer: 8)
        do {
            let j = try FileJournal(path: a[0], create: true)
            var done = 0
            while done < evs.count {
                let chunk = Array(evs[done..<min(evs.count, done + batch)])
                _ = try j.append(chunk, expecting: [:])
                done += chunk.count
                print("appended \(done)")
            }
        } catch {
            FileHandle.standardError.write(Data("soak-writer: \(error)\n".utf8))
            exit(74)
        }
    }
}
