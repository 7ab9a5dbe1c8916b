import ArgumentParser
import QueueDeckDomain

struct PresenceCommand: DeskCommand {
    static let configuration = CommandConfiguration(
        commandName: "presence",
        abstract: "Set your availability (available, away, offline); the wall and stats show it.",
        discussion: "Supervisors may set another agent's with --agent (permission presence.others).")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "available, away or offline.") var state: String
    @Option(name: .long, help: "Another agent (default: you).") var agent: String?

    func execute() throws {
        guard let p = Presence(rawValue: state.lowercased()) else {
            throw Failure(code: Exit.usage, message: "'\(state)': one of \(Presence.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let session = try DeskSession(globals, writable: true)
        try session.run(.setPresence(agent: agent, p))
        emit("\(agent ?? session.actor.user) is \(p.rawValue)")
    }
}
