import AttritionCore
import Foundation
import Testing

/// Two suppressed tables whose filters differ by a small group give back its counts by
/// subtraction, unless the release ledger audits the second with the first.
@Suite struct ReleaseLedgerTests {
    /// Forty cases of Stalking in each of four BCUs, and a few of Rape: 2, 3, 1 and none.
    private static let rapeByBCU = ["North": 2, "South": 3, "East": 1, "West": 0]

    private func data(in scratch: TemporaryFolder) -> String {
        var text = "case_id,reported_date,crime_type,bcu,referred_date,charged_date\n"
        var id = 0
        for (bcu, rape) in Self.rapeByBCU.sorted(by: { $0.key < $1.key }) {
            for index in 0..<40 {
                id += 1
                text += "\(id),2023-0\(1 + index % 6)-10,Stalking,\(bcu),\(index % 3 == 0 ? "2023-08-01" : ""),\(index % 6 == 0 ? "2023-09-01" : "")\n"
            }
            for _ in 0..<rape {
                id += 1
                text += "\(id),2023-03-10,Rape,\(bcu),,\n"
            }
        }
        return scratch.write("cases.csv", text)
    }

    /// The reported counts by BCU of a tidy breakdown CSV (nil where withheld).
    private func reported(_ csv: String) -> [String: Int?] {
        var counts: [String: Int?] = [:]
        for line in csv.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            counts[fields[0]] = Int(fields[1])
        }
        return counts
    }

    /// How many of Rape's small counts by BCU all cases less Stalking give back exactly.
    private func recovered(all: String, stalking: String) -> Int {
        let a = reported(all), s = reported(stalking)
        return Self.rapeByBCU.filter { bcu, rape in
            guard (1...4).contains(rape), let total = a[bcu] ?? nil, let other = s[bcu] ?? nil else { return false }
            return total - other == rape
        }.count
    }

    @Test func theLedgerStopsSubtractionGivingBackASmallGroup() throws {
        let scratch = TemporaryFolder()
        let file = data(in: scratch)
        // Without the ledger, each table passes its own audit, and subtraction gives every small count back.
        let allAlone = try attrition(["summary", file, "--by", "bcu", "--format", "csv", "--no-ledger"])
        let stalkingAlone = try attrition(["summary", file, "--by", "bcu", "--format", "csv", "--filter", "crime_type=Stalking", "--no-ledger"])
        #expect(allAlone.status == 0 && stalkingAlone.status == 0)
        #expect(recovered(all: allAlone.out, stalking: stalkingAlone.out) == 3)
        #expect(!FileManager.default.fileExists(atPath: file + ".ledger.json"))
        // With it (the default), the second is audited with the first: further counts withheld, or nothing published.
        let all = try attrition(["summary", file, "--by", "bcu", "--format", "csv"])
        #expect(all.status == 0)
        #expect(all.err.contains("release_ledger: \(file).ledger.json: audited with the 0 tables released before"))
        let stalking = try attrition(["summary", file, "--by", "bcu", "--format", "csv", "--filter", "crime_type=Stalking"])
        if stalking.status == 0 {
            #expect(stalking.err.contains("more count"), "\(stalking.err)")
            #expect(recovered(all: all.out, stalking: stalking.out) == 0)
        } else {
            #expect(stalking.err.contains("released before from this source"))
            #expect(stalking.out.isEmpty)
        }
        let listed = try attrition(["ledger", file])
        #expect(listed.status == 0)
        #expect(listed.out.hasPrefix("\(file).ledger.json: \(stalking.status == 0 ? 2 : 1) tables released"))
        // The same table again is audited but not recorded twice.
        #expect(try attrition(["summary", file, "--by", "bcu", "--format", "csv"]).out == all.out)
        #expect(try attrition(["ledger", file]).out == listed.out)
    }

    /// Maturity cut-offs a month apart, published one after the other, are audited together too.
    @Test func asOfDatesAMonthApartAreAuditedTogether() throws {
        let scratch = TemporaryFolder()
        let file = data(in: scratch)
        let ledger = scratch.file("release.json")
        let june = try attrition(["summary", file, "--by", "bcu", "--format", "csv", "--as-of", "2023-06-30", "--mature", "3", "--ledger", ledger])
        #expect(june.status == 0)
        let may = try attrition(["summary", file, "--by", "bcu", "--format", "csv", "--as-of", "2023-05-31", "--mature", "3", "--ledger", ledger])
        #expect(may.err.contains("release_ledger: \(ledger): audited with the 1 table released before") || may.err.contains("released before"))
        #expect(try attrition(["ledger", "--ledger", ledger]).out.contains("table"))
    }

    @Test func aLedgerThatIsNotOneIsNeverWrittenOver() throws {
        let scratch = TemporaryFolder()
        let file = data(in: scratch)
        let notes = scratch.write("notes.json", "my own notes\n")
        let run = try attrition(["summary", file, "--by", "bcu", "--format", "csv", "--ledger", notes])
        #expect(run.status == 1)
        #expect(run.err.contains("not a release ledger"))
        #expect(try String(contentsOfFile: notes, encoding: .utf8) == "my own notes\n")
        #expect(try attrition(["summary", file, "--format", "csv", "--ledger", file]).err.contains("will not write"))
    }
}
