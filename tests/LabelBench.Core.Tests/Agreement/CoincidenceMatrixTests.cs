using LabelBench.Core.Agreement;

namespace LabelBench.Core.Tests.Agreement;

public class CoincidenceMatrixTests
{
    [Fact]
    public void Matrix_matches_Krippendorff_2011_example()
    {
        // The coincidences printed in Krippendorff (2011) section C, rows and columns values 1..5; n = 40.
        double[,] expected =
        {
            { 7, 4.0 / 3, 1.0 / 3, 1.0 / 3, 0 },
            { 4.0 / 3, 10, 4.0 / 3, 1.0 / 3, 0 },
            { 1.0 / 3, 4.0 / 3, 8, 1.0 / 3, 0 },
            { 1.0 / 3, 1.0 / 3, 1.0 / 3, 4, 0 },
            { 0, 0, 0, 0, 3 },
        };

        var matrix = CoincidenceMatrix.Build(KrippendorffAlphaTests.Krippendorff2011Example());

        Assert.Equal(["1", "2", "3", "4", "5"], matrix.Values);
        for (var c = 0; c < 5; c++)
        {
            for (var k = 0; k < 5; k++)
            {
                Assert.Equal(expected[c, k], matrix[c, k], 12);
            }
        }

        Assert.Equal([9.0, 13, 10, 5, 3], Enumerable.Range(0, 5).Select(matrix.ValueTotal));
        Assert.Equal(40, matrix.Total);
        Assert.Equal(11, matrix.Units);
    }
}
