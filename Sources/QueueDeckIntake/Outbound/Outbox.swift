import QueueDeckDomain
import QueueDeckMail
import QueueDeckJournal
#if canImport(Glibc)
import Glibc
#endif

/// Sends email replies from the outbox, each at most once: a process first records that it is
/// handing a reply over (refused if another process already did, by the ticket's version), then
/// runs sendmail, then records the outcome. A crash between leaves the reply "unknown", which is
/// retried only when asked (`qdeck outbox --retry --unknown`), never by itself.
public struct Outbox {
    public let desk: IntakeDesk
    public let sendmail: Sendmail
    public let actor: String
    public let clock: () -> Instant

    public init(desk: IntakeDesk, sendmail: Sendmail, actor: String, clock: @escaping () -> Instant) {
        self.desk = desk
        self.sendmail = sendmail
        self.actor = actor
        self.clock = clock
    }

    public enum Result: Sendable, Equatable {
        case sent(String)
        case failed(String, String)
        case skipped(String, String)
    }

    /// Tries the given replies (or every queued and failed one). `unknown` also retries replies
    /// whose earlier hand-over never reported back.
    public func deliver(only ids: Set<String>? = nil, unknown: Bool = false) throws -> [Result] {
        // Hand-overs running now (another process holds the lock) are in progress, not unknown:
        // never retried, even with --unknown.
        let othersSending = desk.journal.handOverRunning
        let lease = try desk.journal.holdOutbox()
        defer { withExtendedLifetime(lease) {} }  // held until every outcome is recorded
        try desk.refresh()
        var results: [Result] = []
        for m in desk.state.outbox where ids?.contains(m.messageID) ?? true {
            // Queued to nobody (the customer had no address): the customer's address now, or still
            // undeliverable, said without another attempt.
            let address = desk.state.recipient(of: m)
            if address.isEmpty {
                results.append(.failed(m.messageID, Commands.noAddress))
                continue
            }
            // One mailbox only, checked again at the door: an address stored before it was checked
            // on arrival could carry a second recipient or a control character.
            if let why = AddrSpec.problem(address) {
                results.append(.failed(m.messageID, "the customer's address is not one email address (\(why)): not sent (correct it, then qdeck outbox --retry)"))
                continue
            }
            if let bad = m.cc.first(where: { AddrSpec.problem($0) != nil }) {
                results.append(.failed(m.messageID, "the Cc address \(bad) is not one email address: not sent (qdeck outbox --retry after correcting it)"))
                continue
            }
            if m.step == .handing {
                guard !othersSending else { results.append(.skipped(m.messageID, "another process is handing it over now")); continue }
                guard unknown else { results.append(.skipped(m.messageID, "outcome of an earlier hand-over unknown")); continue }
                try record(m, .failed("outcome of the hand-over at \(m.stepAt.isoUTC) unknown; retried"), guarded: false)
            }
            do {
                try record(m, .handing, guarded: true)
            } catch let e as DomainError {
                results.append(.skipped(m.messageID, e.description))
                continue
            }
            guard var current = desk.state.outgoing[m.messageID], let ticket = desk.state[m.ticket] else { continue }
            // Read once this process holds the hand-over: a file gone from the store keeps the reply, said.
            let files: [(AttachmentRef, [UInt8])]
            switch Self.load(m.attachments, from: desk.journal.blobs) {
            case .success(let loaded): files = loaded
            case .failure(let why):
                try record(m, .failed(why.description), guarded: false)
                results.append(.failed(m.messageID, why.description))
                continue
            }
            current.to = address
            let message = ReplyMessage.compose(current, ticket: ticket, thread: desk.state.mailThreads[m.ticket] ?? [],
                                               from: desk.rules.intake.address, now: clock(), files: files)
            switch sendmail.withEnvelopeSender(desk.rules.intake.address).addressed(to: [address] + m.cc).send(message, sharing: lease.inheritable) {
            case .taken:
                try record(m, .sent, guarded: false)
                results.append(.sent(m.messageID))
            case .refused(let error):
                try record(m, .failed(error), guarded: false)
                results.append(.failed(m.messageID, error))
            case .unknown(let why):
                // Left "handing over": shown UNKNOWN, retried only with --unknown.
                results.append(.failed(m.messageID, why))
            }
        }
        return results
    }

    /// The reply's files from the store; a file missing or damaged there is named, and the reply waits.
    static func load(_ files: [AttachmentRef], from blobs: any BlobStore) -> Swift.Result<[(AttachmentRef, [UInt8])], AttachmentUnavailable> {
        var out: [(AttachmentRef, [UInt8])] = []
        for f in files {
            guard let hex = f.digest, let digest = BlobDigest(hex: hex) else {
                return .failure(AttachmentUnavailable("the attachment \(f.name) was not kept (over the size limit): not sent"))
            }
            do { out.append((f, try blobs.get(digest))) } catch {
                return .failure(AttachmentUnavailable("the attachment \(f.name) cannot be read from the store (\(error)): not sent"))
            }
        }
        return .success(out)
    }

    /// Appends a delivery step. `guarded`: decided against the current state and the ticket's
    /// version, so two processes cannot both start a hand-over.
    func record(_ m: OutgoingMail, _ step: DeliveryStep, guarded: Bool) throws {
        // A rule's reply is handed over as the rule's (the intake user who received the mail that
        // triggered it may record nothing else on an email ticket: docs/POSTGRES.md).
        let by = Automation.isRules(m.author) ? m.author : actor
        let ctx = CommandContext(actor: Agent(user: by, name: by, role: .administrator), now: clock(), rules: desk.rules,
                                 newTicketID: { .desk })
        for _ in 0..<8 {
            try desk.refresh()
            var d = try Commands.decide(.recordDelivery(m.ticket, messageID: m.messageID, step), state: desk.state, context: ctx)
            if !guarded { d.expectedVersions = [:] }
            do {
                try desk.append(d)
                return
            } catch JournalError.stale {
                continue
            }
        }
        throw JournalError.lockTimeout(path: desk.journal.name, seconds: 0)
    }
}

/// Why a reply's file cannot go out with it.
struct AttachmentUnavailable: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
