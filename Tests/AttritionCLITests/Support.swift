@_exported import AttritionTestSupport
import Foundation

/// The built `attrition` executable.
let attritionExecutable: URL = {
    let beside = Bundle.main.bundleURL.appendingPathComponent("attrition")
    return FileManager.default.fileExists(atPath: beside.path) ? beside
        : Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("attrition")
}()

/// Runs the built `attrition` executable and captures what it prints.
func attrition(_ arguments: [String]) throws -> (status: Int32, out: String, err: String, reason: Process.TerminationReason) {
    let process = Process()
    process.executableURL = attritionExecutable
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Standard error is drained on another thread so a long message can never block the child.
    nonisolated(unsafe) var errData = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        drained.signal()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self),
            process.terminationReason)
}

