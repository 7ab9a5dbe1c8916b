#if canImport(Glibc)
import Glibc
#endif

/// The running program's GNU build ID (the `.note.gnu.build-id` the linker writes). A snapshot is
/// trusted only by the build that wrote it: a build whose fold differs (a fixed reducer, a new
/// field) replays the journal once instead of loading a state it would not have folded.
enum BuildIdentity {
    static let current: [UInt8] = read()

    /// Finds the note through the program headers the kernel passed in the auxiliary vector
    /// (glibc's getauxval and dl_iterate_phdr are not visible to Swift).
    private static func read() -> [UInt8] {
        var phdr: UInt = 0
        var phnum = 0
        let fd = open("/proc/self/auxv", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        var pair: (UInt, UInt) = (0, 0)
        while withUnsafeMutableBytes(of: &pair, { Glibc.read(fd, $0.baseAddress, $0.count) }) == MemoryLayout<(UInt, UInt)>.size,
              pair.0 != 0 {
            if pair.0 == UInt(AT_PHDR) { phdr = pair.1 }
            if pair.0 == UInt(AT_PHNUM) { phnum = Int(pair.1) }
        }
        close(fd)
        guard phdr != 0, let headers = UnsafePointer<Elf64_Phdr>(bitPattern: phdr) else { return [] }
        var loadBias: UInt = 0
        for i in 0..<phnum where headers[i].p_type == UInt32(PT_PHDR) { loadBias = phdr &- UInt(headers[i].p_vaddr) }
        for i in 0..<phnum where headers[i].p_type == UInt32(PT_NOTE) {
            guard var p = UnsafeRawPointer(bitPattern: loadBias &+ UInt(headers[i].p_vaddr)) else { continue }
            let end = p + Int(headers[i].p_memsz)
            while p + 12 <= end {
                let nameSize = Int(p.loadUnaligned(as: UInt32.self))
                let descSize = Int(p.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                let type = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
                let name = p + 12
                let desc = name + ((nameSize + 3) & ~3)
                guard desc + descSize <= end else { break }
                if type == UInt32(NT_GNU_BUILD_ID), nameSize == 4, Array(UnsafeRawBufferPointer(start: name, count: 3)) == Array("GNU".utf8) {
                    return Array(UnsafeRawBufferPointer(start: desc, count: min(descSize, 32)))
                }
                p = desc + ((descSize + 3) & ~3)
            }
        }
        return []
    }
}
