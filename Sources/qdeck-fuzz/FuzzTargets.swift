import Foundation
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckJournal
import QueueDeckIntake
import QueueDeckMail

/// What the fuzzers feed: each target must return for any input, never crash or hang.
enum FuzzTargets {
    static let names = ["journal", "filter", "email", "queue-log", "snapshot", "chat", "team-file", "address"]

    static func run(_ target: String, _ bytes: [UInt8]) {
        switch target {
        case "journal": journal(bytes)
        case "filter": _ = try? TicketFilter.parse(String(decoding: bytes, as: UTF8.self))
        case "email": email(bytes)
        case "queue-log": queueLog(bytes)
        case "snapshot": snapshot(bytes)
        case "chat": chat(bytes)
        case "team-file": teamFile(bytes)
        case "address": address(bytes)
        default: fatalError("unknown fuzz target \(target); one of \(names)")
        }
    }

    /// The reader two ways: a payload of each event type through the decoder, and the bytes as a
    /// journal file (with a valid header in front half the time, so framing and CRC are reached).
    static func journal(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        rest.withUnsafeBytes { buf in
            _ = EventCodec.decode(type: first % 20, ticket: .desk, at: Instant(ms: 0), payload: buf)
        }
        let path = NSTemporaryDirectory() + "qdeck-fuzz-\(getpid()).journal"
        var file = rest
        if first & 0x80 != 0 {
            file = Layout.header(uuid: Array(repeating: 7, count: 16), created: Instant(ms: 1)) + rest
        }
        FileManager.default.createFile(atPath: path, contents: Data(file))
        defer { unlink(path) }
        if let j = try? FileJournal(path: path, writable: false) {
            var state = DeskState(autoCloseAfter: .days(4))
            if let events = try? j.readNew() { state.apply(events) }
        }
        _ = try? JournalRepair.verify(path: path)
    }

    /// A snapshot body past its checksums (as if forged): decodes or is refused, never crashes;
    /// what decodes reads whole, and encodes and decodes again to the same desk.
    static func snapshot(_ bytes: [UInt8]) {
        let decoded = bytes.withUnsafeBytes { raw in Result { () throws(DecodeFailure) in try SnapshotCodec.decode(raw) } }
        guard case .success(let state) = decoded else { return }
        var chars = 0
        for t in state.all { for e in t.entries { chars += e.body.utf8.count } }
        _ = chars + state.outbox.count + (state.all.first.map { state.otherTickets(of: $0).count } ?? 0)
        let again = SnapshotCodec.encode(state).withUnsafeBytes { raw in try? SnapshotCodec.decode(raw) }
        precondition(again == state, "a decoded snapshot must encode and decode to the same desk")
    }

    static func email(_ bytes: [UInt8]) {
        let m = MailParser.parse(bytes)
        _ = m.text.count + m.subject.count
        let arrival = try! MailArrivalBuilder.arrival(bytes, queue: "support")
        var state = DeskState(autoCloseAfter: .days(4))
        let o = Intake.mail(arrival, state: state, now: Instant(ms: 1_795_000_000_000), rules: DeskRules(), newID: { TicketID.random(using: &fuzzRNG) })
        for (i, e) in o.decision.events.enumerated() { state.apply(StoredEvent(seq: UInt64(i + 1), version: UInt32(i + 1), event: e)) }
    }

    static func queueLog(_ bytes: [UInt8]) {
        var state = DeskState(autoCloseAfter: .days(4))
        var n = 0
        for (i, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let c = try? QueueLogLine.parse(line, file: "fuzz", lineNumber: i + 1, offset: 0) else { continue }
            let o = Intake.call(c, state: state, rules: DeskRules(), newID: { n += 1; return TicketID.random(using: &fuzzRNG) })
            for e in o.decision.events {
                n += 1
                state.apply(StoredEvent(seq: UInt64(n), version: (state[e.ticket]?.version ?? 0) + 1, event: e))
            }
        }
    }

    /// Each line through the chat transcript parser (times checked against a desk's life) and
    /// `Intake.chat` into a desk state.
    static func chat(_ bytes: [UInt8]) {
        var state = DeskState(autoCloseAfter: .days(4))
        let now = Instant(ms: 1_795_000_000_000)
        let window = (now - .days(365))...(now + .days(1))
        var n = 0
        for (i, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let c = try? ChatTranscriptLine.parse(line, file: "fuzz", lineNumber: i + 1, offset: 0, window: window) else { continue }
            precondition(window.contains(c.at), "a chat time outside the window was accepted")
            let o = Intake.chat(c, state: state, rules: DeskRules(), newID: { TicketID.random(using: &fuzzRNG) })
            for e in o.decision.events {
                n += 1
                state.apply(StoredEvent(seq: UInt64(n), version: (state[e.ticket]?.version ?? 0) + 1, event: e))
            }
        }
    }

    /// The bytes as a team file: loaded over the defaults (rules) and read for key settings. Either
    /// works or is refused with located errors; never a crash, however deep or strange the YAML.
    static func teamFile(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let rules = try ConfigLoader.load(teamText: text)
            _ = rules.agents.count + rules.departments.count
        } catch {
            precondition(!error.errors.isEmpty, "a refused team file must say why")
        }
        _ = try? KeyBindingsFile.load(teamText: text)
    }

    /// An address header's text: every mailbox it gives holds exactly one valid address or none
    /// (with the reason), and the address checker agrees with itself.
    static func address(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        for box in MailAddress.list(text) {
            if box.address.isEmpty { continue }
            precondition(AddrSpec.isValid(box.address), "a mailbox kept an invalid address")
            precondition(!box.address.unicodeScalars.contains(where: AddrSpec.isControl), "an address kept a control character")
            // A comma or a space only inside a quoted local part (`"Smith, J"@x`): still one mailbox.
            precondition(box.address.hasPrefix("\"") || !box.address.contains { $0 == "," || $0 == " " }, "an address kept a separator")
        }
        _ = AddrSpec.problem(text)
        _ = try! MailArrivalBuilder.arrival(Array("From: \(text)\nSubject: x\n\nbody\n".utf8), queue: nil)
    }
}

nonisolated(unsafe) var fuzzRNG = SeededGenerator(seed: 1)
