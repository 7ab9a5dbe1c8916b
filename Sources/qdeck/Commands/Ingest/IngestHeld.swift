import ArgumentParser
import Foundation
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal
import QueueDeckMail
import QueueDeckText

struct IngestHeld: DeskCommand {
    static let configuration = CommandConfiguration(commandName: "held", abstract: "List automatic mail (auto-replies, bounces) that matched no ticket.")
    @OptionGroup var globals: GlobalOptions

    func execute() throws {
        let session = try DeskSession(globals, writable: false)
        let held = session.state.held
        if held.isEmpty { emit("nothing held"); return }
        for h in held {
            emit("\(h.at.isoUTC)  \(h.record.kind.name)  \(ScreenText.line(h.record.summary))")
        }
    }
}
