import ArgumentParser
import Foundation
import QueueDeckConfig
import QueueDeckConsole
import QueueDeckDomain

struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check and show the desk configuration.", subcommands: [Check.self, Defaults.self])

    struct Check: DeskCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a team file over the defaults; each mistake names its line.")
        @OptionGroup var globals: GlobalOptions
        @Argument(help: "The team file (default: the one qdeck would use).") var file: String?
        func execute() throws {
            let path = file ?? ConfigLoader.teamFilePath(explicit: globals.config, journalPath: globals.journalPath(), environment: globals.environment)
            let r = try ConfigLoader.load(teamFile: path)
            let keys = try consoleKeyMap(globals, journalPath: globals.journalPath(), teamFile: .some(path))
            let remapped = KeyMap.agent.bindings.indices.filter { KeyMap.agent.bindings[$0].keys != keys.bindings[$0].keys }.count
            emit("\(path ?? ConfigLoader.defaultsName): ok — \(r.agents.count) agents, \(r.departments.count) departments, "
                + "\(r.roles.count) roles, \(r.contactGroups.count) contact groups, \(r.sla.rules.count) SLA rules, "
                + "\(countPhrase(r.automation.rules.count, "rule")) (\(r.automation.timeRules.count) on time), distribution in \(countPhrase(r.automation.distribution.count, "department")), "
                + "time zone \(r.calendar.timeZone.identifier), \(remapped) key binding\(remapped == 1 ? "" : "s") changed"
                + (KeyBindingsFile.userPath(environment: globals.environment).map { " (with \($0))" } ?? ""))
        }
    }

    struct Defaults: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the built-in defaults (a starting point for a team file).")
        func run() { emit(ConfigLoader.defaultsText, terminator: "") }
    }
}
