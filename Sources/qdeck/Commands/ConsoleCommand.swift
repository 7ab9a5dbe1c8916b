import ArgumentParser
import Foundation
import QueueDeckBackends
import QueueDeckConfig
import QueueDeckConsole
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal

struct Console: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work the live queue in the terminal (the default command).",
        discussion: "Keys: ? inside the console lists them all. NO_COLOR=1 draws without colour.")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var fullReplay: ReplayOption

    func execute() throws {
        let session = try DeskSession.waitingForTheDatabase { try DeskSession(globals, writable: true, create: true, fullReplay: fullReplay.replay) }
        try openConsole(session, globals)
    }
}

/// The console's keys: the table, with the team file's `keys:` and then the user's keys.yaml.
func consoleKeyMap(_ g: GlobalOptions, journalPath: String, teamFile: String?? = nil) throws -> KeyMap<ConsoleAction> {
    let team = teamFile ?? ConfigLoader.teamFilePath(explicit: g.config, journalPath: journalPath, environment: g.environment)
    let settings = try KeyBindingsFile.load(teamFile: team, userFile: KeyBindingsFile.userPath(environment: g.environment), desk: journalPath)
    do {
        return try KeyMap.agent.applying(settings.map { KeyRemap(action: $0.action, keys: $0.keys, place: $0.place, file: $0.file) })
    } catch {
        throw Failure(code: Exit.config, message: "key bindings:\n" + error.description)
    }
}

/// Opens the agent console on a session's journal.
func openConsole(_ session: DeskSession, _ globals: GlobalOptions) throws {
    // A mistake in the key files must not keep an agent from working: the default keys, and the
    // mistakes said on the flash line (`config check` still refuses them).
    var keyProblems: [String] = []
    let keyMap: KeyMap<ConsoleAction>
    do { keyMap = try consoleKeyMap(globals, journalPath: session.journalPath) } catch {
        let lines = describeFailure(error).1.split(separator: "\n").map(String.init)
        keyProblems = lines.count > 1 && lines[0].hasSuffix(":") ? Array(lines.dropFirst()) : lines
        keyMap = .agent
    }
    let desk = ConsoleDesk(journal: session.journal, rules: session.rules, actor: session.actor,
                           state: session.state, clock: clockFromEnvironment(session.now))
    desk.snapshots = session.snapshots
    let env = ProcessInfo.processInfo.environment
    do { desk.drafts = try DraftStore(directory: DraftStore.defaultDirectory(env, home: ConfigLoader.homeDirectory(env))) } catch {
        throw Failure(code: Exit.cantCreate, message: "\(error)")
    }
    // Email replies go to sendmail off the key loop, from the console's own desk at its position
    // (nothing is loaded again); the outcome reaches every screen through the journal (the
    // ticket's history says sent, or why not), and a hand-over that cannot start is said.
    let location = session.location, rules = session.rules, user = session.actor.user
    let clock = clockFromEnvironment(session.now)
    let notices = desk.notices
    let courier = ReplyCourier { ids, state, position in
        do {
            let journal = try location.open(writable: true)
            let intake = try IntakeDesk(journal: journal, rules: rules, state: state, at: position)
            let outbox = makeOutbox(intake, environment: env, user: user, clock: clock)
            for r in try outbox.deliver(only: ids) {
                if case .failed(let id, let why) = r { notices.post("reply \(id) kept in the outbox: \(why)") }
            }
        } catch {
            notices.post("replies not handed to the mail system: \(describeFailure(error).1) (qdeck outbox --retry)")
        }
    }
    desk.handOver = { ids, state, position in courier.send(ids, state: state, position: position) }
    defer { courier.waitUntilIdle(seconds: 10) }
    let noColor = !(env["NO_COLOR"] ?? "").isEmpty
    do {
        let bell = !["off", "0", "no", "false"].contains((env["QDECK_BELL"] ?? "").lowercased())
        let app = try ConsoleApp(desk: desk, keyMap: keyMap, noColor: noColor, bell: bell, environment: env)
        if !keyProblems.isEmpty {
            for p in keyProblems { app.controller.say(p, error: true, quiet: true) }
            app.controller.say("your key bindings have \(keyProblems.count) mistake\(keyProblems.count == 1 ? "" : "s"); the default keys are in use (M shows them)",
                               error: true)
        }
        app.run()
    } catch let e as TerminalError {
        throw Failure(code: Exit.usage, message: e.description)
    }
}

/// The wall clock, or a clock that starts at QDECK_NOW and runs from there (reproducible screens).
func clockFromEnvironment(_ start: Instant) -> @Sendable () -> Instant {
    let fixed = !(ProcessInfo.processInfo.environment["QDECK_NOW"] ?? "").isEmpty
    let began = Date()
    if fixed { return { @Sendable in start + Millis(Date().timeIntervalSince(began) * 1000) } }
    return { @Sendable in Instant(seconds: Date().timeIntervalSince1970) }
}
