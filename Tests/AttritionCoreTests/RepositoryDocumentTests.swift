import Foundation
import Testing

/// Source comments point only at documents the repository holds.
@Suite struct RepositoryDocumentTests {
    @Test func everyDocumentASourceFileCitesIsInTheRepository() throws {
        let sources = repositoryRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 100)
        let cited = try Regex(#"docs/[A-Za-z0-9_./-]+\.md"#)
        var missing: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: cited) {
                let document = String(text[match.range])
                if !FileManager.default.fileExists(atPath: repositoryRoot.appendingPathComponent(document).path) {
                    missing.append("\(file): \(document)")
                }
            }
            // A data contract is cited by its file in docs/contracts, never by a bare "contract section N".
            #expect(!text.contains("contract section"), "\(file) cites a contract section without naming its file")
            #expect(!text.contains("contract, section"), "\(file) cites a contract section without naming its file")
        }
        #expect(missing.isEmpty, "cited but not in the repository: \(missing)")
    }
}
