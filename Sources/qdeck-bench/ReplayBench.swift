import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// Replay speed next to Foundation's JSONDecoder on the same events (as JSON lines), same run.
enum ReplayBench {
    /// The JSON shape of an event, as a JSON-payload journal would store it.
    struct JSONEvent: Codable {
        var seq: UInt64; var ticket: String; var version: UInt32; var type: String; var at: Int64; var actor: String
        var body: String?; var subject: String?; var channel: String?; var customerName: String?; var customerEmail: String?
        var priority: Int?; var department: String?; var until: Int64?; var added: [String]?; var removed: [String]?
        var agent: String?; var reason: String?
    }

    static func json(_ s: StoredEvent) -> JSONEvent {
        let e = s.event
        var j = JSONEvent(seq: s.seq, ticket: e.ticket.raw, version: s.version, type: e.kind.name, at: e.at.ms, actor: e.actor)
        switch e.kind {
        case .created(let o):
            j.subject = o.subject; j.body = o.body; j.channel = o.channel.rawValue; j.customerName = o.customer.name
            j.customerEmail = o.customer.email; j.priority = o.priority.rawValue; j.department = o.department
        case .customerMessage(let b), .agentReply(let b), .note(let b): j.body = b
        case .reassigned(let a, let d, let r): j.agent = a; j.department = d; j.reason = r
        case .postponed(let u): j.until = u.ms
        case .priorityChanged(let p): j.priority = p.rawValue
        case .tagged(let a, let r): j.added = a; j.removed = r
        default: break
        }
        return j
    }

    /// A realistic mix: each ticket is created, answered, sometimes reopened, tagged, resolved.
    /// Ticket `i` starts at `start + i × step` (its later events follow within minutes).
    static func events(_ n: Int, start: Instant = Instant(ms: 1_795_000_000_000), step: Millis = 30_000, writer: Int = 7) -> [Event] {
        var out: [Event] = []
        out.reserveCapacity(n)
        var i = 0
        while out.count < n {
            let t = StressWriter.ticketID(writer: writer, n: i)
            let at = start + step * Int64(i)
            out.append(Event(ticket: t, at: at, actor: "customer", kind: .created(TicketOpening(
                channel: [.email, .call, .chat][i % 3], customer: Customer(name: "Customer \(i % 5000)", email: "c\(i % 5000)@example.com"),
                subject: "Cannot log in after password reset \(i)", body: "I reset my password but the app still says invalid credentials. Order \(i).",
                priority: Priority(rawValue: i % 4)!, department: "technical"))))
            out.append(Event(ticket: t, at: at + 60_000, actor: "anna", kind: .claimed))
            out.append(Event(ticket: t, at: at + 120_000, actor: "anna", kind: .agentReply(body: "Thanks — we are looking into it now.")))
            if i % 3 == 0 { out.append(Event(ticket: t, at: at + 180_000, actor: "customer", kind: .customerMessage(body: "Any news?"))) }
            if i % 4 == 0 { out.append(Event(ticket: t, at: at + 200_000, actor: "anna", kind: .tagged(added: ["login"], removed: []))) }
            out.append(Event(ticket: t, at: at + 240_000, actor: "anna", kind: .agentReply(body: "Fixed; please try again.")))
            if i % 2 == 0 { out.append(Event(ticket: t, at: at + 300_000, actor: "anna", kind: .resolved)) }
            i += 1
        }
        return Array(out.prefix(n))
    }

    static func run(dir: String, events n: Int) {
        let path = dir + "/bench-replay-\(getpid()).journal"
        defer { unlink(path) }
        let evs = events(n)
        let j = try! FileJournal(path: path, create: true)
        let w0 = nanos()
        var i = 0
        while i < evs.count {
            let batch = Array(evs[i..<min(i + 1000, evs.count)])
            _ = try! j.append(batch, expecting: [:])
            i += batch.count
        }
        let writeSecs = Double(nanos() - w0) / 1e9
        let size = j.endOffset
        _ = try! j.readNew()

        // Same events as JSON lines.
        let stored = try! FileJournal(path: path, writable: false).readNew()
        let enc = JSONEncoder()
        var lines: [Data] = []
        lines.reserveCapacity(stored.count)
        for s in stored { lines.append(try! enc.encode(json(s))) }
        let jsonBytes = lines.reduce(0) { $0 + $1.count + 1 }

        var best = (decode: Double.infinity, fold: Double.infinity, json: Double.infinity)
        for _ in 0..<3 {
            let t0 = nanos()
            let read = try! FileJournal(path: path, writable: false).readNew()
            let t1 = nanos()
            var state = DeskState(autoCloseAfter: .days(4))
            state.apply(read)
            let t2 = nanos()
            precondition(read.count == n && state.count > 0)
            let dec = JSONDecoder()
            var count = 0
            for l in lines { count += (try! dec.decode(JSONEvent.self, from: l)).seq > 0 ? 1 : 0 }
            let t3 = nanos()
            precondition(count == n)
            best.decode = min(best.decode, Double(t1 - t0) / 1e9)
            best.fold = min(best.fold, Double(t2 - t0) / 1e9)
            best.json = min(best.json, Double(t3 - t2) / 1e9)
        }
        let rate = { (s: Double) in Double(n) / s }
        print("replay of \(n) events (\(size / 1_000_000) MB binary, \(jsonBytes / 1_000_000) MB as JSON lines); best of 3")
        print("  group-commit write: \(Int(rate(writeSecs))) events/s")
        print("  journal read + decode:               \(Int(rate(best.decode))) events/s")
        print("  journal read + decode + fold state:  \(Int(rate(best.fold))) events/s")
        print("  Foundation JSONDecoder, same events: \(Int(rate(best.json))) events/s")
        print("  ratio (read+decode+fold vs JSONDecoder): \(String(format: "%.1f", best.json / best.fold))×   target ≥ 4×")
    }
}
