using LiveHub.Data.Questions;
using LiveHub.Questions;
using LiveHub.Realtime;

namespace LiveHub.Tests.Questions;

public sealed class QuestionRulesTests
{
    [Theory]
    [InlineData("  Halo  ", "Halo")]
    [InlineData("\tBaris\nkedua\n", "Baris\nkedua")]
    [InlineData("<b>bukan HTML</b>", "<b>bukan HTML</b>")]
    public void TextIsTrimmedAndOtherwiseKeptAsTyped(string typed, string stored)
    {
        Assert.Null(QuestionRules.CheckText(typed, 500, out var trimmed));
        Assert.Equal(stored, trimmed);
    }

    [Theory]
    [InlineData(null, ErrorCodes.TextEmpty)]
    [InlineData("", ErrorCodes.TextEmpty)]
    [InlineData("   \n ", ErrorCodes.TextEmpty)]
    public void EmptyTextIsRefused(string? typed, string code) => Assert.Equal(code, QuestionRules.CheckText(typed, 500, out _)!.Code);

    [Fact]
    public void TextIsMeasuredAfterTrimming()
    {
        Assert.Null(QuestionRules.CheckText("  " + new string('a', 500) + "  ", 500, out _));
        Assert.Equal(ErrorCodes.TextTooLong, QuestionRules.CheckText(new string('a', 501), 500, out _)!.Code);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("   ", null)]
    [InlineData(" Maria ", "Maria")]
    public void BlankNameMeansAnonymous(string? typed, string? stored)
    {
        Assert.Null(QuestionRules.CheckName(typed, 60, out var name));
        Assert.Equal(stored, name);
    }

    [Theory]
    [InlineData("3f2a6b1c-0000-4000-8000-000000000000", true)]
    [InlineData("abc_DEF-123", true)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("has space", false)]
    [InlineData("quote'", false)]
    public void ClientIdsAreShortAndPlain(string? id, bool ok) => Assert.Equal(ok, QuestionRules.CheckClientId(id) is null);

    [Theory]
    [InlineData(QuestionStatus.Approved, true)]
    [InlineData(QuestionStatus.Answered, true)]
    [InlineData(QuestionStatus.Pending, false)]
    [InlineData(QuestionStatus.Dismissed, false)]
    [InlineData(QuestionStatus.Archived, false)]
    public void OnlyApprovedAndAnsweredQuestionsArePublic(string status, bool isPublic) => Assert.Equal(isPublic, QuestionStatus.IsPublic(status));
}
