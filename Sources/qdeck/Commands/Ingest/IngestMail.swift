import ArgumentParser
import Foundation
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal
import QueueDeckMail
import QueueDeckText

struct IngestMail: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Store one message from standard input (an MTA alias pipe).",
        discussion: """
        Postfix alias:  support: "|/usr/local/bin/qdeck ingest mail --journal /srv/qdeck/desk.journal --queue support"
        Exit 0 once the message is durable (or was already stored); 75 (EX_TEMPFAIL) when it could not be \
        stored now, so that the mail server retries. A message that cannot be parsed is stored raw and flagged.
        """)
    @OptionGroup var globals: GlobalOptions
    @Option(name: .long, help: "The intake queue (a department, or a name mapped in intake.queues). Default: $EXTENSION.") var queue: String?

    func run() throws {
        // An MTA only understands exit codes: anything that stops the message being stored now is a
        // temporary failure (75) so that it retries; never a bounce for our own trouble.
        defer { SnapshotKeeper.waitForAll() }
        do {
            let raw = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            guard !raw.isEmpty else { throw Failure(code: Exit.dataErr, message: "empty message on standard input") }
            let env = globals.environment
            let q = queue ?? env["EXTENSION"].flatMap { $0.isEmpty ? nil : $0 }
            let desk = try intakeDesk(globals, needs: .intake)
            let arrival = try MailArrivalBuilder.arrival(raw, queue: q, envelopeSender: env["SENDER"], blobs: desk.journal.blobs,
                                                         limit: desk.rules.intake.maxAttachmentBytes, desk: desk.rules.intake.address)
            let now = try globals.now()
            let outcome = try desk.ingest { state, newID in
                Intake.mail(arrival, state: state, now: now, rules: desk.rules, newID: newID)
            }
            emit(describe(outcome))
            handOverRulesReplies(globals, desk: desk, events: outcome.decision.events)
        } catch let f as Failure where f.code == Exit.dataErr {
            printError("qdeck: " + f.message)
            throw ExitCode(Exit.dataErr)
        } catch {
            let (_, message) = describeFailure(error)
            printError("qdeck: message not stored, try again later: " + message)
            throw ExitCode(Exit.tempFail)
        }
    }
}
