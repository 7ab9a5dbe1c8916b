import Foundation
import QueueDeckJournal

/// `qdeck-bench blobs [DIR] [MB]`: stores files of mixed sizes (half the bytes in 256 kB to 2 MB
/// files, half in 16 MB ones) in a journal's attachment store — read from disk, SHA-256, written,
/// synced, renamed — and prints MB/s. Baselines in the same run, on the same files: `cp` into a
/// folder, and `cp` followed by `sync` of the copies (the store syncs every file). Three rounds,
/// alternating, median shown.
enum BlobStoreBench {
    static func run(dir: String, megabytes: Int) {
        let root = dir + "/qdeck-blob-bench-\(getpid())"
        let source = root + "/files"
        try! FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        var sizes: [Int] = []
        var small = 0
        while small < megabytes * 500_000 { let n = 262_144 + (sizes.count * 380_000) % 1_835_008; sizes.append(n); small += n }
        var large = 0
        while large < megabytes * 500_000 { sizes.append(16_000_000); large += 16_000_000 }
        var rng = SystemRandomNumberGenerator()
        var files: [String] = []
        for (i, n) in sizes.enumerated() {
            let path = source + "/file-\(i).bin"
            FileManager.default.createFile(atPath: path, contents: Data((0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }))
            files.append(path)
        }
        let total = Double(small + large) / 1_000_000
        print("blobs: \(files.count) files, \(f1(total)) MB, in \(source)")
        var store: [Double] = [], copy: [Double] = [], copySync: [Double] = []
        for round in 0..<3 {
            let journal = root + "/r\(round).journal"
            let blobs = FileBlobStore(journal: journal)
            _ = runProgram("/bin/sync", [])
            var t0 = nanos()
            for f in files { _ = try! blobs.put(try! GuardedFile.readChosen(f, limit: 1 << 40)) }
            store.append(total / (Double(nanos() - t0) / 1e9))
            let target = root + "/copy\(round)"
            try! FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            _ = runProgram("/bin/sync", [])
            t0 = nanos()
            _ = runProgram("/bin/cp", files + [target])
            copy.append(total / (Double(nanos() - t0) / 1e9))
            _ = runProgram("/bin/sync", ["-f", target])
            let target2 = root + "/copysync\(round)"
            try! FileManager.default.createDirectory(atPath: target2, withIntermediateDirectories: true)
            t0 = nanos()
            _ = runProgram("/bin/cp", files + [target2])
            _ = runProgram("/bin/sync", files.map { target2 + "/" + ($0 as NSString).lastPathComponent })
            copySync.append(total / (Double(nanos() - t0) / 1e9))
            try? FileManager.default.removeItem(atPath: target)
            try? FileManager.default.removeItem(atPath: target2)
            try? FileManager.default.removeItem(atPath: journal + ".blobs")
        }
        func median(_ v: [Double]) -> String { f1(v.sorted()[v.count / 2]) }
        print("  attachment store (read, SHA-256, write, fsync, rename): \(median(store)) MB/s   rounds \(store.map(f1))")
        print("  cp (no sync):                                         \(median(copy)) MB/s   rounds \(copy.map(f1))")
        print("  cp, then sync of each copy:                           \(median(copySync)) MB/s   rounds \(copySync.map(f1))")
    }
}
