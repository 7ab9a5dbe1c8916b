import Foundation
import Testing

/// What a hostile neighbour on a shared host can put where qdeck expects its files (issue 13):
/// devices, FIFOs and links. Device nodes are made in the test's own folder (`mknod`, as root), so a
/// regression changes the mode of a scratch node, never the machine's /dev/null.
@Suite(.serialized) struct HostileNeighbourTests {
    func mode(_ path: String) -> mode_t {
        var st = stat()
        return lstat(path, &st) == 0 ? st.st_mode & 0o7777 : 0
    }

    /// `qdeck --journal` a character device: refused by name, its mode untouched (root once turned
    /// /dev/null into 0660 for the whole machine).
    @Test func aDeviceIsNeverAJournalAndKeepsItsMode() throws {
        guard geteuid() == 0 else { return }  // mknod needs root; CI runs as root
        let s = Scratch()
        let null = s.dir + "/null", zero = s.dir + "/zero"
        // makedev(1, 3) and (1, 5): the null and zero devices (major 1).
        #expect(mknod(null, S_IFCHR | 0o666, dev_t((1 << 8) | 3)) == 0)
        #expect(mknod(zero, S_IFCHR | 0o666, dev_t((1 << 8) | 5)) == 0)
        chmod(null, 0o666)
        let r = try Harness.run("qdeck", ["--journal", null, "new", "email", "--customer", "A <a@b.c>", "--subject", "x"])
        #expect(r.status == 65)
        #expect(r.stderr.contains("a character device, not a regular file"), "\(r.stderr)")
        #expect(mode(null) == 0o666, "the device's mode was changed to \(String(mode(null), radix: 8))")
        let z = try Harness.run("qdeck", ["--journal", zero, "list"])
        #expect(z.status == 65)
        #expect(!z.stdout.contains("0 tickets"))
    }

    /// A FIFO as the journal, or under a snapshot's name, never hangs a command.
    @Test func aFIFONeverHangsACommand() throws {
        let s = Scratch()
        let fifo = s.dir + "/fifo.journal"
        #expect(mkfifo(fifo, 0o600) == 0)
        let status = shell("timeout -k 2 10 \(Harness.binDir)/qdeck --journal \(fifo) list >/dev/null")
        #expect(status == 65, "exit \(status) (124: it hung)")
        _ = try s.newTicket(subject: "Beside a FIFO")
        #expect(mkfifo(s.journal + ".snapshot-9999", 0o600) == 0)
        let listed = shell("timeout -k 2 10 \(Harness.binDir)/qdeck --journal \(s.journal) list | grep -q 'Beside a FIFO'")
        #expect(listed == 0, "exit \(listed) (124: it hung)")
    }
}
