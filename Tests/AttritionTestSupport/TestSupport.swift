import Foundation

/// The repository's root folder, for the files tests read from it (SampleData, Fuzz, Expected
/// screens) and the tools they keep under `.build`.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A temporary folder removed when the test ends.
public final class TemporaryFolder: Sendable {
    /// The folder's path.
    public let path: String

    /// A new, empty folder under the system's temporary directory.
    public init() {
        path = NSTemporaryDirectory() + "attrition-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the folder.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let file = file(name)
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}
