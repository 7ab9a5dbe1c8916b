import Foundation
import Testing

/// Issue 16: the journal in PostgreSQL, as its users and its administrator meet it. Identity is
/// the database's (a login is stored as itself whatever QDECK_AGENT or a team file claims), what a
/// group may never do is refused by the database (seen with psql too, not only through qdeck), and
/// a desk moves between a file and a database with its history as it was.
@Suite struct PostgresJournalTests {
    static var runs: Bool { JournalKind.available.contains(.postgres) }

    /// The desk's address without a login: PGUSER then says who connects, as libpq reads it.
    static func withoutLogin(_ uri: String) -> String {
        uri.replacingOccurrences(of: #"&user=[^&]*"#, with: "", options: .regularExpression)
    }

    @Test func theDatabaseSaysWhoActsAndRefusesWhatAGroupMayNeverDo() throws {
        guard Self.runs else { return }
        let s = Scratch(.postgres)
        let cluster = SharedCluster.shared
        let db = String(s.journal.split(separator: "?")[0].dropFirst("postgresql:///".count))
        let id = try s.newTicket()

        // anna's login claiming to be the administrator: refused before anything is written.
        let claimed = try Harness.run("qdeck", ["--journal", Self.withoutLogin(s.journal), "note", id, "--body", "as admin"],
                                      env: ["PGUSER": "anna", "QDECK_AGENT": "admin"])
        #expect(claimed.status == 77 && claimed.stderr.contains("you are who the database says, anna"), "\(claimed.stderr)")
        let plain = try Harness.run("qdeck", ["--journal", Self.withoutLogin(s.journal), "note", id, "--body", "as myself"],
                                    env: ["PGUSER": "anna", "QDECK_AGENT": ""])
        #expect(plain.status == 0, "\(plain.stderr)")

        // A team file of wall's own making calls wall an administrator: the desk acts on the role the
        // database gives the login (wall's is viewer), and the database would refuse it anyway.
        let hostile = s.dir + "/team.yaml"
        try "agents:\n  - { user: wall, name: Wall, role: administrator }\n  - { user: anna, name: Anna, role: administrator }\n  - { user: lea, name: Lea, role: agent }\n"
            .write(toFile: hostile, atomically: true, encoding: .utf8)
        let viewerNote = try Harness.run("qdeck", ["--journal", s.journal, "--config", hostile, "note", id, "--body", "from the wall"],
                                         env: ["QDECK_AGENT": "wall"])
        #expect(viewerNote.status == 77 && viewerNote.stderr.contains("wall may not do this"), "\(viewerNote.stderr)")
        // anna, an agent in the database, may not repair it whatever her team file says.
        let repair = try Harness.run("qdeck", ["--journal", s.journal, "--config", hostile, "log", "repair"])
        #expect(repair.status == 77 && repair.stderr.contains("qdeck_repair"), "\(repair.stderr)")
        // anna may not set lea's presence (a supervisor's right), however the team file ranks her.
        let presence = try Harness.run("qdeck", ["--journal", s.journal, "--config", hostile, "presence", "away", "--agent", "lea"])
        #expect(presence.status == 77 && presence.stderr.contains("presence.others"), "\(presence.stderr)")

        // The same refusals straight from psql: no qdeck in between.
        let appendAs = { (user: String, actor: String, type: Int) throws -> (Int32, String) in
            try cluster.psql("SELECT stored_actor FROM qdeck_append('{}', '{}', ARRAY['\(id.replacingOccurrences(of: "-", with: ""))'], ARRAY[1::bigint], ARRAY['\(actor)'], ARRAY[\(type)::smallint], ARRAY['\\x0178'::bytea])",
                             database: db, as: user)
        }
        let viewer = try appendAs("wall", "wall", 4)
        #expect(viewer.0 != 0 && viewer.1.contains("permission denied for function qdeck_append"), "\(viewer.1)")
        let impersonating = try appendAs("anna", "admin", 4)
        #expect(impersonating.0 == 0 && impersonating.1.hasPrefix("anna"), "stored as the login: \(impersonating.1)")
        let othersPresence = try cluster.psql("SELECT * FROM qdeck_append('{}', '{}', ARRAY['00000000000'], ARRAY[1::bigint], ARRAY['anna'], ARRAY[13::smallint], ARRAY['\\x036c656102'::bytea])",
                                              database: db, as: "anna")
        #expect(othersPresence.0 != 0 && othersPresence.1.contains("only its own presence"), "\(othersPresence.1)")
        let intakeNote = try appendAs("nobody", "anna", 4)
        #expect(intakeNote.0 != 0 && intakeNote.1.contains("is intake"), "\(intakeNote.1)")
        // A rule's events (README: Automation) keep their actor from whoever appends them, intake
        // included, but only of the kinds rules make; a viewer still writes nothing.
        let ruleNote = try appendAs("nobody", "rules (ask a lead)", 4)
        #expect(ruleNote.0 == 0 && ruleNote.1.hasPrefix("rules (ask a lead)"), "\(ruleNote.1)")
        let ruleByAgent = try appendAs("anna", "rules (route)", 10)
        #expect(ruleByAgent.0 == 0 && ruleByAgent.1.hasPrefix("rules (route)"), "\(ruleByAgent.1)")
        let ruleArrival = try appendAs("nobody", "rules (x)", 14)
        #expect(ruleArrival.0 != 0 && ruleArrival.1.contains("a rule does not write event type 14"), "\(ruleArrival.1)")
        let rulePresence = try appendAs("anna", "rules (x)", 13)
        #expect(rulePresence.0 != 0 && rulePresence.1.contains("a rule does not write event type 13"), "\(rulePresence.1)")
        let viewerRule = try appendAs("wall", "rules (x)", 4)
        #expect(viewerRule.0 != 0 && viewerRule.1.contains("permission denied"), "\(viewerRule.1)")
        #expect(try cluster.psql("SELECT appended_by FROM qdeck_events WHERE actor = 'rules (ask a lead)'", database: db, as: "admin").1.hasPrefix("nobody"))
        let repairByAgent = try cluster.psql("SELECT qdeck_repair()", database: db, as: "anna")
        #expect(repairByAgent.0 != 0 && repairByAgent.1.contains("permission denied"), "\(repairByAgent.1)")
        let direct = try cluster.psql("INSERT INTO qdeck_head (last) VALUES (99)", database: db, as: "admin")
        #expect(direct.0 != 0 && direct.1.contains("permission denied"), "even an administrator writes only through the functions: \(direct.1)")
        #expect(try cluster.psql("SELECT string_agg(DISTINCT actor, ',' ORDER BY actor) FROM qdeck_events WHERE appended_by = 'anna' AND actor NOT LIKE 'rules (%'", database: db).1.hasPrefix("anna"),
                "every event anna's login wrote is anna's, but what she named a rule's")

        // What the desk shows: the notes as anna's, nothing by admin or wall.
        let history = try s.qdeck("show", id).stdout
        #expect(history.contains("anna") && !history.contains("admin:") && !history.contains("wall:"), "\(history)")
    }

    /// A desk moved into PostgreSQL and back: `log dump` byte for byte the same on all three,
    /// `log verify` and `stats --json` agreeing, the attached files with it.
    @Test func aDeskCopiedIntoPostgresAndBackIsTheSameDesk() throws {
        guard Self.runs else { return }
        let files = Scratch(.file)
        #expect(try files.demo(["--tickets", "150"]).status == 0)
        let mail = "From: a@example.org\nSubject: f\nMessage-ID: <copy1@example.org>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nhi\n--b\nContent-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n"
        #expect(try Harness.run("qdeck", ["--journal", files.journal, "ingest", "mail"], stdin: mail).status == 0)
        let pg = Scratch(.postgres)

        // Only an administrator imports history; a refused copy leaves the database as it was.
        let byAgent = try Harness.run("qdeck", ["log", "copy", files.journal, pg.journal])
        #expect(byAgent.status == 77, "\(byAgent.stderr)")
        #expect((try pg.json("list", "--all") as? [Any])?.isEmpty == true, "still an empty desk")
        let pgDatabase = String(pg.journal.split(separator: "?")[0].dropFirst("postgresql:///".count))
        #expect(try SharedCluster.shared.psql("SELECT count(*) FROM qdeck_blobs", database: pgDatabase).1.hasPrefix("0"), "nor any of its files")
        let copied = try Harness.run("qdeck", ["log", "copy", files.journal, pg.journal], env: ["QDECK_AGENT": "admin"])
        #expect(copied.status == 0 && copied.stdout.contains("1 attached file"), "\(copied.stdout) \(copied.stderr)")
        let again = try Harness.run("qdeck", ["log", "copy", files.journal, pg.journal], env: ["QDECK_AGENT": "admin"])
        #expect(again.status == 73 && again.stderr.contains("already holds events"), "\(again.stderr)")
        let back = files.dir + "/back.journal"
        let returned = try Harness.run("qdeck", ["log", "copy", pg.journal, back])
        #expect(returned.status == 0, "\(returned.stderr)")

        let now = ["QDECK_NOW": "2026-12-01T12:00:00Z"]
        let places = [files.journal, pg.journal, back]
        let dumps = try places.map { try Harness.run("qdeck", ["--journal", $0, "log", "dump"]).stdout }
        #expect(dumps[0].split(separator: "\n").count > 500)
        #expect(dumps[1] == dumps[0] && dumps[2] == dumps[0], "log dump differs after the copy")
        let stats = try places.map { try Harness.run("qdeck", ["--journal", $0, "stats", "--json"], env: now).stdout }
        #expect(stats[1] == stats[0] && stats[2] == stats[0])
        for place in places {
            let verify = try Harness.run("qdeck", ["--journal", place, "log", "verify"])
            #expect(verify.status == 0 && verify.stdout.contains("1 stored file checked, all intact"), "\(place): \(verify.stdout) \(verify.stderr)")
        }
        // The UUID came along: the file copied back names the database's journal.
        let uuid = try #require(try SharedCluster.shared.psql("SELECT value FROM qdeck_meta WHERE key = 'uuid'",
                                                              database: String(pg.journal.split(separator: "?")[0].dropFirst("postgresql:///".count))).1
            .split(separator: "\n").first)
        #expect(try Harness.run("qdeck", ["--journal", back, "log", "verify"]).stdout.contains(String(uuid)))
        // The attached file is read back from the database byte for byte.
        let ticket = try #require((try pg.json("list", "--all") as? [[String: Any]])?.first { $0["subject"] as? String == "f" }?["id"] as? String)
        let saved = pg.dir + "/a.pdf"
        #expect(try pg.qdeck("attachment", ticket, "1", "--save", saved).status == 0)
        #expect(try String(contentsOfFile: saved, encoding: .utf8) == "%PDF-1.4\n")
    }

    /// Start-up from a snapshot this host keeps for the database (in the user's own data folder,
    /// named after the server), and never from one the database no longer matches.
    @Test func aSnapshotIsKeptPerHostAndPassedOverWhenTheDatabaseDiffers() throws {
        guard Self.runs else { return }
        let s = Scratch(.postgres)
        #expect(try s.demo(["--tickets", "200"]).status == 0)
        let data = s.dir + "/data"
        let env = ["XDG_DATA_HOME": data, "QDECK_SNAPSHOT_EVERY": "100"]
        #expect(try s.qdeck("stats", env: env).status == 0)
        let folder = data + "/qdeck"
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".snapshot-") }
        #expect(snapshots.count == 1 && snapshots[0].contains(".server-"), "\(snapshots)")
        var st = stat()
        #expect(stat(folder, &st) == 0 && st.st_mode & 0o077 == 0, "this user's own folder")
        let used = try s.qdeck("log", "verify", env: env)
        #expect(used.stdout.contains("used at start-up"), "\(used.stdout)")
        // The event the snapshot is bound to is changed behind qdeck's back (a restore, a hand
        // edit): the snapshot no longer fits and is passed over; start-up replays instead.
        let db = String(s.journal.split(separator: "?")[0].dropFirst("postgresql:///".count))
        let seq = try #require(Int(snapshots[0].split(separator: "-").last ?? ""))
        #expect(try SharedCluster.shared.psql("UPDATE qdeck_events SET at = at + 1 WHERE seq = \(seq)", database: db).0 == 0)
        let passed = try s.qdeck("log", "verify", env: env)
        #expect(passed.stdout.contains("passed over") && passed.stdout.contains("same content"), "\(passed.stdout)")
        let before = try s.qdeck("stats", "--json", env: env.merging(["QDECK_NOW": "2026-12-01T12:00:00Z"]) { $1 })
        let replayed = try s.qdeck("stats", "--json", "--replay", env: ["QDECK_NOW": "2026-12-01T12:00:00Z"])
        #expect(before.stdout == replayed.stdout)
    }

    /// What a newcomer's review found (issue 16): each refused by the database or by qdeck as the
    /// README says, not only when the client plays along.
    @Test func aLoginIsWhatTheDatabaseSaysNotWhatATeamFileClaims() throws {
        guard Self.runs else { return }
        let s = Scratch(.postgres)
        let cluster = SharedCluster.shared
        let db = String(s.journal.split(separator: "?")[0].dropFirst("postgresql:///".count))

        // A prepared database nobody has written to yet is an empty desk, for every reader.
        #expect(try s.qdeck("list").status == 0)
        let wall = try Harness.run("qdeck", ["--journal", s.journal, "list"], env: ["QDECK_AGENT": "wall"])
        #expect(wall.status == 0 && wall.stdout.contains("0 tickets"), "\(wall.stdout) \(wall.stderr)")

        let id = try s.newTicket()
        #expect(try Harness.run("qdeck", ["--journal", s.journal, "claim", id], env: ["QDECK_AGENT": "lea"]).status == 0)
        // anna's own team file makes her administrator: the desk acts on the database's role.
        let hostile = s.dir + "/mine.yaml"
        try "agents:\n  - { user: anna, name: Anna, role: administrator }\n  - { user: lea, name: Lea, role: supervisor }\n"
            .write(toFile: hostile, atomically: true, encoding: .utf8)
        let taken = try Harness.run("qdeck", ["--journal", s.journal, "--config", hostile, "reassign", id, "--to", "anna"])
        #expect(taken.status == 77 && taken.stderr.contains("may only reassign"), "\(taken.stderr)")

        // Arrivals are intake's: an agent's login may not store mail, even run by root.
        let mail = "From: Dora <dora@example.com>\nSubject: Re: forged [\(id)]\nMessage-ID: <forged@example.com>\n\nhello\n"
        let forged = try Harness.run("qdeck", ["--journal", s.journal, "ingest", "mail"], env: ["QDECK_AGENT": "anna"], stdin: mail)
        #expect(forged.status == 75 && forged.stderr.contains("anna may not"), "\(forged.stderr)")
        let intakeRecord = try cluster.psql("SELECT * FROM qdeck_append('{}', '{}', ARRAY['\(id.replacingOccurrences(of: "-", with: ""))'], ARRAY[1::bigint], ARRAY['system'], ARRAY[14::smallint], ARRAY['\\x00'::bytea])",
                                            database: db, as: "anna")
        #expect(intakeRecord.0 != 0 && intakeRecord.1.contains("may not store arrivals"), "\(intakeRecord.1)")
        let asSystem = try cluster.psql("SELECT stored_actor FROM qdeck_append('{}', '{}', ARRAY['\(id.replacingOccurrences(of: "-", with: ""))'], ARRAY[1::bigint], ARRAY['system'], ARRAY[4::smallint], ARRAY['\\x0178'::bytea])",
                                        database: db, as: "anna")
        #expect(asSystem.0 == 0 && asSystem.1.hasPrefix("anna"), "an agent's note is the agent's, not the system's: \(asSystem.1)")

        // Another desk on the same server admits only its own roster.
        let other = try cluster.psql("CREATE DATABASE otherdesk\(getpid())")
        #expect(other.0 == 0, "\(other.1)")
        let team = s.dir + "/other.yaml"
        try "agents:\n  - { user: sue, name: Sue, role: agent }\n".write(toFile: team, atomically: true, encoding: .utf8)
        let otherDesk = cluster.uri("otherdesk\(getpid())", user: "postgres")
        for args in [["db", "init"], ["db", "sync-roster"]] {
            #expect(try Harness.run("qdeck", ["--journal", otherDesk, "--config", team] + args, env: ["QDECK_AGENT": ""]).status == 0)
        }
        let stranger = try Harness.run("qdeck", ["--journal", cluster.uri("otherdesk\(getpid())", user: "anna"), "list"], env: ["QDECK_AGENT": "anna"])
        #expect(stranger.status == 77 && stranger.stderr.contains("permission denied for database"), "\(stranger.stderr)")
        // An agent's host told nothing but the team file in their own config folder finds the desk.
        let config = s.dir + "/config"
        try FileManager.default.createDirectory(atPath: config + "/qdeck", withIntermediateDirectories: true)
        try "journal: '\(s.journal)'\n".write(toFile: config + "/qdeck/team.yaml", atomically: true, encoding: .utf8)
        let found = try Harness.run("qdeck", ["list"], env: ["QDECK_AGENT": "", "XDG_CONFIG_HOME": config, "XDG_DATA_HOME": s.dir])
        #expect(found.status == 0 && found.stdout.contains(id), "\(found.stdout) \(found.stderr)")
        // The roster is the team file's: never the built-in example's (it has an admin login).
        let noTeam = try Harness.run("qdeck", ["--journal", otherDesk, "db", "sync-roster"], env: ["QDECK_AGENT": "", "XDG_CONFIG_HOME": s.dir, "XDG_DATA_HOME": s.dir])
        #expect(noTeam.status == 64 && noTeam.stderr.contains("--config"), "\(noTeam.stderr)")
    }

    /// What a second review found: one server holding several desks, the intake login, reserved
    /// names, a custom role's own team file, unknown event types, `log verify` on a new desk.
    @Test func oneServerManyDesksAndTheIntakeLoginKeepToTheirPlace() throws {
        guard Self.runs else { return }
        let cluster = SharedCluster.shared
        let dir = NSTemporaryDirectory() + "qdeck-desks-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let deskA = dir + "/a.yaml", deskB = dir + "/b.yaml"
        try """
        roles:
          team-lead: [ticket.create, ticket.reply, ticket.note, ticket.claim, ticket.reassign.own, ticket.reassign.any]
        agents:
          - { user: sam, name: Sam, role: agent }
          - { user: tl, name: Tia Lead, role: team-lead }
          - { user: anna, name: Anna, role: agent }
          - { user: nobody, name: Mail, role: intake }
        """.write(toFile: deskA, atomically: true, encoding: .utf8)
        try "agents:\n  - { user: sam, name: Sam, role: administrator }\n  - { user: zed, name: Zed, role: agent }\n".write(toFile: deskB, atomically: true, encoding: .utf8)
        let a = try cluster.newDatabase(team: deskA), b = try cluster.newDatabase(team: deskB)
        let env = ["QDECK_AGENT": "", "XDG_DATA_HOME": dir]
        // A new desk: verify reads it (it once crashed on the UUID nobody had made yet).
        let fresh = try Harness.run("qdeck", ["--journal", cluster.uri(a, user: "anna"), "--config", deskA, "log", "verify"], env: env)
        #expect(fresh.status == 0 && fresh.stdout.contains("0 events"), "\(fresh.stdout) \(fresh.stderr)")

        // Sam administers desk B; on desk A he is an agent all the same.
        #expect(try cluster.psql("SELECT grp FROM qdeck_caller()", database: b, as: "sam").1.hasPrefix("admin"))
        #expect(try cluster.psql("SELECT grp FROM qdeck_caller()", database: a, as: "sam").1.hasPrefix("agent"))
        let repair = try Harness.run("qdeck", ["--journal", cluster.uri(a, user: "sam"), "--config", deskA, "log", "repair"], env: env)
        #expect(repair.status == 77, "\(repair.stdout) \(repair.stderr)")

        // Zed is desk B's; CONNECT to desk A granted by hand still reads nothing there.
        #expect(try cluster.psql("GRANT CONNECT ON DATABASE \(a) TO zed").0 == 0)
        #expect(try Harness.run("qdeck", ["--journal", cluster.uri(a, user: "anna"), "--config", deskA, "new", "email", "--customer", "Z <z@example.org>", "--subject", "private"], env: env).status == 0)
        #expect(try cluster.psql("SELECT count(*) FROM qdeck_events", database: a, as: "zed").1.hasPrefix("0"), "rows of desk A are not zed's to read")
        let zed = try Harness.run("qdeck", ["--journal", cluster.uri(a, user: "zed"), "list"], env: env)
        #expect(zed.status == 77 && zed.stderr.contains("not on this desk's roster"), "\(zed.stderr)")

        // tl's team-lead role lands in the supervisors' group (it may reassign anyone's tickets) but
        // its permissions do not include others' presence: the database refuses it too.
        let tlPresence = try cluster.psql("SELECT * FROM qdeck_append('{}', '{}', ARRAY['00000000000'], ARRAY[1::bigint], ARRAY['tl'], ARRAY[13::smallint], ARRAY['\\x04616e6e6102'::bytea])",
                                          database: a, as: "tl")
        #expect(tlPresence.0 != 0 && tlPresence.1.contains("only its own presence"), "\(tlPresence.1)")
        // tl's own team file gives team-lead the right to set others' presence; desk A's roster does not.
        let own = dir + "/own.yaml"
        try "roles:\n  team-lead: [presence.others, ticket.create]\nagents:\n  - { user: tl, name: Tia Lead, role: team-lead }\n  - { user: anna, name: Anna, role: agent }\n"
            .write(toFile: own, atomically: true, encoding: .utf8)
        let presence = try Harness.run("qdeck", ["--journal", cluster.uri(a, user: "tl"), "--config", own, "presence", "away", "--agent", "anna"], env: env)
        #expect(presence.status == 77 && presence.stderr.contains("presence.others"), "\(presence.stderr)")

        // The intake login writes what intake brings: an agent's reply only on a call or chat.
        let email = try Harness.run("qdeck", ["--journal", cluster.uri(a, user: "anna"), "--config", deskA, "new", "email", "--customer", "C <c@example.org>", "--subject", "invoice"], env: env)
        let chat = try Harness.run("qdeck", ["--journal", cluster.uri(a, user: "anna"), "--config", deskA, "new", "chat", "--customer", "Visitor", "--subject", "hi"], env: env)
        let reply = { (ticket: String, type: Int) throws -> (Int32, String) in
            try cluster.psql("SELECT stored_actor FROM qdeck_append('{}', '{}', ARRAY['\(ticket.replacingOccurrences(of: "-", with: ""))'], ARRAY[1::bigint], ARRAY['anna'], ARRAY[\(type)::smallint], ARRAY['\\x0178'::bytea])",
                             database: a, as: "nobody")
        }
        let onEmail = try reply(email.lastLine, 3)
        #expect(onEmail.0 != 0 && onEmail.1.contains("only on call and chat tickets"), "\(onEmail.1)")
        #expect(try reply(chat.lastLine, 3).0 == 0, "a chat system reports what the agent wrote")
        let delivery = try reply(email.lastLine, 15)
        #expect(delivery.0 != 0 && delivery.1.contains("is intake"), "the hand-over of replies is agents' work: \(delivery.1)")
        let unknown = try cluster.psql("SELECT * FROM qdeck_append('{}', '{}', ARRAY['\(chat.lastLine.replacingOccurrences(of: "-", with: ""))'], ARRAY[1::bigint], ARRAY['anna'], ARRAY[45::smallint], ARRAY['\\x00'::bytea])",
                                       database: a, as: "anna")
        #expect(unknown.0 != 0 && unknown.1.contains("not one this desk knows"), "\(unknown.1)")
        // A note whose bytes do not decode (written by hand): verify names the event.
        let garbage = try cluster.psql("SELECT stored_seq FROM qdeck_append('{}', '{}', ARRAY['\(chat.lastLine.replacingOccurrences(of: "-", with: ""))'], ARRAY[1::bigint], ARRAY['anna'], ARRAY[4::smallint], ARRAY['\\xff'::bytea])",
                                       database: a, as: "anna")
        let badSeq = garbage.1.trimmingCharacters(in: .whitespacesAndNewlines)
        let named = try Harness.run("qdeck", ["--journal", cluster.uri(a, user: "anna"), "--config", deskA, "log", "verify"], env: env)
        #expect(named.status == 65 && named.stdout.contains("sequence \(badSeq)"), "\(named.stdout)")

        // The server's own role names are never an agent's login.
        let reserved = dir + "/reserved.yaml"
        try "agents:\n  - { user: qdeck_admin, name: Oops, role: agent }\n".write(toFile: reserved, atomically: true, encoding: .utf8)
        let refused = try Harness.run("qdeck", ["--journal", cluster.uri(b, user: "postgres"), "--config", reserved, "db", "sync-roster"], env: env)
        #expect(refused.status != 0 && refused.stderr.contains("server's roles"), "\(refused.stderr)")
        try "agents:\n  - { user: postgres, name: Oops, role: agent }\n".write(toFile: reserved, atomically: true, encoding: .utf8)
        let superuser = try Harness.run("qdeck", ["--journal", cluster.uri(b, user: "postgres"), "--config", reserved, "db", "sync-roster"], env: env)
        #expect(superuser.status != 0 && superuser.stderr.contains("a superuser"), "\(superuser.stderr)")
    }
}
