using EtlRunner.Expressions;

namespace EtlRunner.Core.Tests.Expressions;

public sealed class VariableTemplateTests
{
    [Fact]
    public void Parse_Reference_FindsNameAndOffset()
    {
        var template = VariableTemplate.Parse("[data_dir]/signups.csv");

        var reference = Assert.Single(template.References);
        Assert.Equal("data_dir", reference.Name);
        Assert.Equal(0, reference.Offset);
        Assert.Null(reference.Fallback);
    }

    [Fact]
    public void Parse_Fallback_KeepsItsText()
    {
        var reference = Assert.Single(VariableTemplate.Parse("[cc_base_url{https://api.cc.email/v3}]").References);

        Assert.Equal("cc_base_url", reference.Name);
        Assert.Equal("https://api.cc.email/v3", reference.Fallback);
    }

    [Fact]
    public void Parse_EmptyFallback_IsAnEmptyString()
    {
        Assert.Equal(string.Empty, Assert.Single(VariableTemplate.Parse("[token{}]").References).Fallback);
    }

    [Fact]
    public void Render_DoubleBracket_IsALiteralBracket()
    {
        var template = VariableTemplate.Parse("select [[col] from t where a = '[x]'");

        Assert.Equal("select [col] from t where a = 'X'", template.Render(_ => "X"));
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("[a b]")]
    [InlineData("[")]
    [InlineData("[name")]
    [InlineData("[name.]")]
    public void Parse_NotAReference_StaysLiteral(string text)
    {
        var template = VariableTemplate.Parse(text);

        Assert.Empty(template.References);
        Assert.Equal(text, template.Render(_ => "X"));
    }

    [Fact]
    public void Parse_DottedName_IsOneReference()
    {
        Assert.Equal("system.run.id", Assert.Single(VariableTemplate.Parse("run-[system.run.id]").References).Name);
    }

    [Fact]
    public void Parse_UnicodeName_IsAccepted()
    {
        Assert.Equal("größe", Assert.Single(VariableTemplate.Parse("[größe]").References).Name);
    }
}
