import ArgumentParser
import Foundation
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal
import QueueDeckText

struct OutboxCommand: DeskCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Email replies not yet handed to the mail system, with why; --retry sends them (ticket.reply).",
        discussion: "Replies go to $QDECK_SENDMAIL (default: /usr/sbin/sendmail -oi, with -f the desk's address and the customer's address after --). --retry exits 75 while any reply stays unsent. A reply whose hand-over was interrupted (outcome unknown) is retried only with --unknown, so that nothing is sent twice by accident.")
    @OptionGroup var globals: GlobalOptions
    @Flag(name: .long, help: "Try to send every queued or failed reply now.") var retry = false
    @Flag(name: .long, help: "With --retry: also replies whose earlier hand-over never reported back.") var unknown = false

    func execute() throws {
        let desk = try intakeDesk(globals, needs: retry ? .reply : nil)
        var stillWaiting = 0
        if retry {
            let results = try sendReplies(globals, desk: desk, only: nil, unknown: unknown)
            if results.isEmpty { emit("outbox empty: nothing to send") }
            stillWaiting = results.filter { if case .sent = $0 { false } else { true } }.count
        }
        try desk.refresh()
        let box = desk.state.outbox
        guard !box.isEmpty else { if !retry { emit("outbox empty") }; return }
        emit("\(box.count) in the outbox:")
        let running = desk.journal.handOverRunning
        for m in box {
            let state: String = switch m.step {
            case .queued: "queued"
            case .handing where running: "in progress (hand-over started \(m.stepAt.isoUTC))"
            case .handing: "UNKNOWN (hand-over started \(m.stepAt.isoUTC), never reported back; qdeck outbox --retry --unknown sends it again)"
            case .failed(let e): "failed: \(e)"
            case .sent: "sent"
            }
            let address = desk.state.recipient(of: m)
            let to = (address.isEmpty ? "(no address)" : ScreenText.line(address)) + (m.cc.isEmpty ? "" : " cc " + ScreenText.line(m.cc.joined(separator: ", ")))
                + (m.attachments.isEmpty ? "" : " with \(countPhrase(m.attachments.count, "file"))")
            emit("\(m.ticket)  \(m.queuedAt.isoUTC)  to \(to)  \(m.messageID)  tries \(m.attempts)  \(ScreenText.line(state))")
        }
        // A script retrying the outbox learns that some replies did not go: try again later (75).
        if stillWaiting > 0 {
            throw Failure(code: Exit.tempFail, message: "\(stillWaiting) repl\(stillWaiting == 1 ? "y" : "ies") could not be sent and stay in the outbox")
        }
    }
}

/// The one way an outbox is made (the CLI's and the console's): the environment's sendmail, the
/// acting user, and the clock that honours QDECK_NOW.
func makeOutbox(_ desk: IntakeDesk, environment: [String: String], user: String, clock: @escaping @Sendable () -> Instant) -> Outbox {
    Outbox(desk: desk, sendmail: Sendmail(environment: environment), actor: user, clock: clock)
}

/// Hands replies to sendmail and prints what happened, one line each.
@discardableResult
func sendReplies(_ g: GlobalOptions, desk: IntakeDesk, only: Set<String>?, unknown: Bool = false) throws -> [Outbox.Result] {
    let outbox = makeOutbox(desk, environment: g.environment, user: g.actingUser, clock: clockFromEnvironment(try g.now()))
    let results = try outbox.deliver(only: only, unknown: unknown)
    for r in results {
        switch r {
        case .sent(let id): emit("sent \(id)")
        case .failed(let id, let e): printError("qdeck: reply \(id) kept in the outbox: \(e)" + (e.contains("outbox --retry") ? "" : " (qdeck outbox --retry)"))
        case .skipped(let id, let why): emit("skipped \(id): \(why)")
        }
    }
    return results
}

/// The rules' replies (acknowledgements) a batch queued, handed to the mail system now. What
/// arrived is stored whatever happens here: a reply the mail system refuses waits in the outbox,
/// said on standard error, never thrown.
func handOverRulesReplies(_ g: GlobalOptions, desk: IntakeDesk, events: [Event]) {
    let queued = queuedReplies(events)
    guard !queued.isEmpty else { return }
    do { try sendReplies(g, desk: desk, only: queued) } catch {
        printError("qdeck: automatic replies wait in the outbox: \(describeFailure(error).1)")
    }
}

/// The Message-IDs of email replies a batch of stored events queued.
func queuedReplies(_ stored: [StoredEvent]) -> Set<String> { queuedReplies(stored.map(\.event)) }

func queuedReplies(_ events: [Event]) -> Set<String> {
    Set(events.compactMap { e -> String? in
        if case .delivery(let id, .queued) = e.kind { return id }
        return nil
    })
}
