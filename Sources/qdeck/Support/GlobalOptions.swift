import ArgumentParser
import Foundation
import QueueDeckBackends
import QueueDeckConfig
import QueueDeckJournal
import QueueDeckDomain

/// `--replay` on the commands that load the desk (stats, list, console): ignore snapshots.
struct ReplayOption: ParsableArguments {
    @Flag(name: .long, help: "Replay the whole journal instead of starting from a snapshot (to compare).") var replay = false
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The journal: a file, or postgresql://USER@HOST/DB (env QDECK_JOURNAL; default $XDG_DATA_HOME/qdeck/desk.journal).",
                                             valueName: "journal"))
    var journal: String?

    @Option(name: .long, help: ArgumentHelp("A team configuration file (env QDECK_CONFIG; else team.yaml beside a journal file, then $XDG_CONFIG_HOME/qdeck/team.yaml).",
                                            valueName: "file"))
    var config: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var dataHome: String {
        let env = environment
        if let x = env["XDG_DATA_HOME"], !x.isEmpty { return x + "/qdeck" }
        return ConfigLoader.homeDirectory(env) + "/.local/share/qdeck"
    }

    func journalPath(default name: String = "desk.journal") -> String {
        if let journal { return journal }
        if let j = environment["QDECK_JOURNAL"], !j.isEmpty { return j }
        if let j = ConfigLoader.journal(explicitTeamFile: config, environment: environment) { return j }
        return dataHome + "/" + name
    }

    /// Where the journal is: a file path (the default) or a PostgreSQL address; an address this
    /// build does not keep journals at is refused before anything is created.
    func journalLocation(default name: String = "desk.journal") throws -> JournalLocation {
        try location(journalPath(default: name))
    }

    /// A journal named on the command line (`log copy`'s source and destination).
    func location(_ text: String) throws -> JournalLocation {
        do {
            return try JournalLocation(text, environment: environment, user: osUser, localFolder: dataHome,
                                       home: ConfigLoader.homeDirectory(environment)) { printError("qdeck: warning: \($0)") }
        } catch {
            throw Failure(code: Exit.usage, message: "\(error)")
        }
    }

    /// The default data folder, refused when it is not this user's (or root's) or anyone may write
    /// it: a desk must not live where a stranger can swap its files.
    func checkDefaultDataFolder() throws {
        guard journal == nil, (environment["QDECK_JOURNAL"] ?? "").isEmpty else { return }
        for folder in [FilePath.folder(of: dataHome), dataHome] {
            if let why = TrustedPath.problem(folder: folder) {
                throw Failure(code: Exit.cantCreate, message: "\(folder): \(why); the default journal is not kept there (use --journal)")
            }
        }
    }

    /// The desk rules: built-in defaults, overridden by the team file qdeck finds for this journal.
    func rules(journalPath: String) throws -> DeskRules {
        try ConfigLoader.load(teamFile: ConfigLoader.teamFilePath(explicit: config, journalPath: journalPath, environment: environment),
                              desk: journalPath)
    }

    /// Events between snapshots (QDECK_SNAPSHOT_EVERY; 0 never writes one).
    var snapshotEvery: Int {
        environment["QDECK_SNAPSHOT_EVERY"].flatMap { Int($0) }.map { max(0, $0) } ?? 20_000
    }

    /// The acting agent's user: QDECK_AGENT, else the OS user.
    var actingUser: String {
        if let a = environment["QDECK_AGENT"], !a.isEmpty { return a }
        return osUser
    }

    /// Who the system says runs this process (never taken from the environment).
    var osUser: String {
        if let pw = getpwuid(geteuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return "uid \(geteuid())"
    }

    /// The acting agent under the rules. QDECK_AGENT may name someone else only for root or an OS
    /// user the roster makes an administrator (scripts, tests): anyone else claiming another name is
    /// refused, so a role cannot be taken by setting a variable.
    func actingAgent(_ rules: DeskRules) throws -> Agent {
        let os = osUser
        let acting = actingUser
        if acting != os && geteuid() != 0 && rules.agent(user: os)?.role.name != Role.administrator.name {
            throw Failure(code: Exit.noPerm, message: "QDECK_AGENT=\(acting): only root or an administrator may act as another agent; "
                          + "you are \(os) (unset QDECK_AGENT)")
        }
        return try rules.actingAgent(user: acting)
    }

    /// The acting agent on an open journal: where the journal proves identity (PostgreSQL's login),
    /// the agent is who it says, and QDECK_AGENT naming anyone else is refused, whoever asks. The
    /// role is the database's too: the roster's desk role, cut down to what the login's group may
    /// do, so a team file of the agent's own making cannot raise it.
    func actingAgent(_ rules: DeskRules, journal: any DeskJournal) throws -> Agent {
        guard let id = journal.databaseIdentity else { return try actingAgent(rules) }
        if let claimed = environment["QDECK_AGENT"], !claimed.isEmpty, claimed != id.login {
            throw Failure(code: Exit.noPerm, message: "QDECK_AGENT=\(claimed): on \(journal.name) you are who the database says, \(id.login) (unset QDECK_AGENT)")
        }
        var agent = rules.agent(user: id.login) ?? Agent(user: id.login, name: id.name ?? id.login, role: id.cap)
        agent.role = id.role { name in rules.role(named: name) ?? Role.builtIn.first { $0.name == name } }
        return agent
    }

    /// Now, or QDECK_NOW (ISO 8601) when tests or replays need a fixed moment.
    func now() throws -> Instant {
        if let fixed = environment["QDECK_NOW"], !fixed.isEmpty {
            do {
                return try WhenParser.parse(fixed, now: Instant(ms: 0), calendar: .alwaysOpen)
            } catch {
                throw Failure(code: Exit.usage, message: "QDECK_NOW '\(fixed)' is not a time: \(error)")
            }
        }
        return Instant(seconds: Date().timeIntervalSince1970)
    }
}
