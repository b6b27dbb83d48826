using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LabelBench.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ItemImportLine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ImportLine",
                table: "Items",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ImportLine",
                table: "Items");
        }
    }
}
