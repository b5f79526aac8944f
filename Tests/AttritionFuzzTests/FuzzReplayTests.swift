import AttritionFuzzTargets
import AttritionTestSupport
import Foundation
import Testing

/// Every seed of every fuzz target, and every input that ever made a reader crash (kept in
/// Fuzz/regressions/TARGET by Fuzz/run), run through its target: none may crash or lose a row.
@Suite struct FuzzReplayTests {
    /// The repository's Fuzz folder.
    private static let fuzz = repositoryRoot.appendingPathComponent("Fuzz").path

    /// The files of `folder`, sorted (none when it does not exist).
    private static func files(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAndRegressionsRunClean(target: FuzzTarget) throws {
        let seeds = FuzzReplayTests.files("\(FuzzReplayTests.fuzz)/corpus/\(target.rawValue)")
        #expect(!seeds.isEmpty, "\(target.rawValue) has a seed corpus")
        for path in seeds + FuzzReplayTests.files("\(FuzzReplayTests.fuzz)/regressions/\(target.rawValue)") {
            let bytes = try #require(FileManager.default.contents(atPath: path))
            target.run(Array(bytes))
        }
    }
}
