import AttritionFuzzTargets
import Foundation

#if FUZZING
// Built by Fuzz/run with libFuzzer (-sanitize=fuzzer,address -DFUZZING): the target comes from
// ATTRITION_FUZZ_TARGET, and libFuzzer's driver runs it on input after input.

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The target this process fuzzes.
let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["ATTRITION_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("set ATTRITION_FUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return target
}()

/// The executable's entry point (SwiftPM names it `<module>_main`): hands over to libFuzzer's driver.
@_cdecl("attrition_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = target
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
        return 0
    }
}
#else
/// Without libFuzzer: `attrition-fuzz TARGET FILE...` runs a target on saved inputs (a crash to
/// look into, or a corpus), one by one, naming each.
@main struct Replay {
    static func main() {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            print("usage: attrition-fuzz TARGET FILE...   (targets: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")))")
            exit(2)
        }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            print("\(target.rawValue) \(path)")
            target.run(Array(data))
        }
    }
}
#endif
