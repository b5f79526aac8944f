import AttritionCore
import Foundation
import Testing

@Suite struct StatisticsTests {
    /// The continuity-corrected Wilson bounds found by bisection on their defining equation,
    /// |p̂ − p| − 1/(2n) = z·√(p(1−p)/n): a route independent of the closed form.
    private func bisectedBounds(_ x: Int, _ n: Int, z: Double = 1.959963984540054) -> (Double, Double) {
        let phat = Double(x) / Double(n), c = 1 / (2 * Double(n))
        func excess(_ p: Double) -> Double { abs(phat - p) - c - z * (p * (1 - p) / Double(n)).squareRoot() }
        func solve(_ inside: Double, _ outside: Double) -> Double {
            var (a, b) = (inside, outside)
            for _ in 0..<200 {
                let mid = (a + b) / 2
                if excess(mid) < 0 { a = mid } else { b = mid }
            }
            return (a + b) / 2
        }
        let lower = x == 0 ? 0 : solve(phat, 0)
        let upper = x == n ? 1 : solve(phat, 1)
        return (lower, upper)
    }

    @Test func wilsonMatchesTheContractExample() throws {
        let interval = try #require(Proportion(1187, of: 5120).wilson95)
        #expect(String(format: "%.4f", interval.lowerBound) == "0.2204")
        #expect(String(format: "%.4f", interval.upperBound) == "0.2437")
    }

    @Test(arguments: [(0, 10), (1, 10), (5, 10), (9, 10), (10, 10), (1, 1), (37, 412), (3539, 55696), (1109, 3539)])
    func wilsonMatchesBisection(x: Int, n: Int) throws {
        let interval = try #require(Proportion(x, of: n).wilson95)
        let (lower, upper) = bisectedBounds(x, n)
        #expect(abs(interval.lowerBound - max(0, lower)) < 1e-9)
        #expect(abs(interval.upperBound - min(1, upper)) < 1e-9)
    }

    @Test func emptyDenominatorHasNoRate() {
        #expect(Proportion(0, of: 0).rate == nil)
        #expect(Proportion(0, of: 0).wilson95 == nil)
    }

    @Test func holmStepsDown() {
        #expect(Statistics.holmRejections([0.01, 0.04, 0.03, 0.005]) == [true, false, false, true])
        #expect(Statistics.holmRejections([0.01, 0.02, 0.03]) == [true, true, true])
        #expect(Statistics.holmRejections([0.2, nil, 0.001]) == [false, false, true])
        #expect(Statistics.holmRejections([0.026, 0.026]) == [false, false])
    }

    /// p-value of Pearson's chi-square on the 2×2 table, which equals the pooled z-test's.
    private func chiSquarePValue(_ a: Proportion, _ b: Proportion) -> Double {
        let (x1, f1, x2, f2) = (Double(a.count), Double(a.total - a.count), Double(b.count), Double(b.total - b.count))
        let n = x1 + f1 + x2 + f2
        let chi2 = n * pow(x1 * f2 - f1 * x2, 2) / ((x1 + f1) * (x2 + f2) * (x1 + x2) * (f1 + f2))
        return erfc((chi2 / 2).squareRoot())
    }

    @Test func pValueMatchesChiSquare() throws {
        for (a, b) in [(Proportion(30, of: 200), Proportion(400, of: 1800)), (Proportion(5, of: 9), Proportion(1, of: 40))] {
            let p = try #require(Statistics.twoProportionPValue(a, b))
            #expect(abs(p - chiSquarePValue(a, b)) < 1e-12)
        }
        #expect(Statistics.twoProportionPValue(Proportion(0, of: 10), Proportion(0, of: 20)) == nil)
    }

    @Test func flagsAgainstAllOtherCasesWithHolm() {
        let groups = [Proportion(20, of: 400), Proportion(100, of: 400), Proportion(60, of: 400), Proportion(9, of: 40)]
        let total = Proportion(189, of: 1240)
        let flags = Statistics.flags(groups: groups, total: total)
        // Independent: chi-square p against the rest of the table, then Holm by hand.
        let pValues = groups.map { chiSquarePValue($0, Proportion(total.count - $0.count, of: total.total - $0.total)) }
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var expected: [RateFlag?] = Array(repeating: nil, count: groups.count)
        for (rank, index) in order.enumerated() {
            guard pValues[index] <= 0.05 / Double(groups.count - rank) else { break }
            let rest = Double(total.count - groups[index].count) / Double(total.total - groups[index].total)
            expected[index] = groups[index].rate! < rest ? .low : .high
        }
        #expect(flags.flags == expected)
        #expect(flags.tests == [.zTest, .zTest, .zTest, .zTest])
        #expect(flags.comparisons == 4)
        #expect(flags.flags[0] == .low)
        #expect(flags.flags[1] == .high)
    }
}
