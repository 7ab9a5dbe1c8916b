import Foundation

// Built two ways. With -DFUZZING and -sanitize=fuzzer (scripts/fuzz.sh) libFuzzer drives
// LLVMFuzzerTestOneInput; the target is $QDECK_FUZZ_TARGET. Otherwise this is a replayer:
// `qdeck-fuzz TARGET FILE...` runs each input once (the regression test runs the seed corpus).
#if FUZZING
import CQueueDeckFuzz

let fuzzTarget = ProcessInfo.processInfo.environment["QDECK_FUZZ_TARGET"] ?? "email"

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTargets.run(fuzzTarget, data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}

// SwiftPM links an executable's entry as `<module>_main` (so tests can import it); libFuzzer's own
// `main` is then never pulled in, so the entry hands control to libFuzzer's driver.
@_cdecl("qdeck_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var c = argc
    var v = argv
    return LLVMFuzzerRunDriver(&c, &v) { data, size in fuzzOne(data, size) }
}
#else
@main
struct FuzzReplay {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        guard let target = args.first, FuzzTargets.names.contains(target) else {
            FileHandle.standardError.write(Data("usage: qdeck-fuzz \(FuzzTargets.names.joined(separator: "|")) FILE...\n".utf8))
            exit(64)
        }
        var n = 0
        for path in args.dropFirst() {
            var isDir: ObjCBool = false
            let files = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for f in files {
                guard let d = FileManager.default.contents(atPath: f) else { continue }
                FuzzTargets.run(target, [UInt8](d))
                n += 1
            }
        }
        print("\(target): \(n) inputs ran")
    }
}
#endif
