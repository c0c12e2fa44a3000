#pragma once

#include <QByteArray>
#include <QString>

namespace SafeTill {

// The bytes an ESC/POS receipt printer (Epson TM series and the many printers that copy them)
// understands, built one command at a time:
//
//     EscPos out;
//     out.init().align(EscPos::Align::Center).bold(true).line(u"Café Nord"_s).bold(false);
//     out.feed(3).cut(EscPos::Cut::Partial);
//     transport.send(out.bytes());
//
// Text is sent in code page PC858 (CP850 with the euro sign at 0xD5; ESC t 19), which init()
// selects: Western European letters (ä ö ü ß é è à ç ñ ...), £ ¥ and €. Characters PC858 lacks
// are replaced: typographic dashes, minus, quotes and ellipsis by their ASCII look-alikes, no-break
// spaces by a plain space, anything else by '?'. Control characters other than a line feed are
// dropped from text, so text can never smuggle a command to the printer.
class EscPos
{
public:
    enum class Align { Left = 0, Center = 1, Right = 2 };
    enum class Cut { Full, Partial };
    // The drawer kick connector's pins: drawer 1 (pin 2) or drawer 2 (pin 5).
    enum class Drawer { One = 0, Two = 1 };

    // ESC @ (reset to the printer's defaults) then ESC t 19 (code page PC858).
    EscPos &init();
    // The text in PC858, no line feed.
    EscPos &text(const QString &text);
    // The text and a line feed (LF).
    EscPos &line(const QString &text = {});
    // ESC E n: emphasized on or off.
    EscPos &bold(bool on);
    // GS ! n: double width and height (0x11) or normal size (0x00).
    EscPos &doubleSize(bool on);
    // ESC a n.
    EscPos &align(Align align);
    // ESC d n: prints the buffer and feeds n lines (0 to 255).
    EscPos &feed(int lines);
    // GS V 0 (full) or GS V 1 (partial, a tab left to tear off).
    EscPos &cut(Cut cut = Cut::Partial);
    // ESC p m t1 t2: a pulse on the drawer connector, on for onMs and off for offMs (each in steps
    // of 2 ms, at most 510 ms). The defaults (ESC p 0 25 250: 50 ms on, 500 ms off) open every
    // common drawer.
    EscPos &kick(Drawer drawer = Drawer::One, int onMs = 50, int offMs = 500);
    // Bytes as they are (an already encoded block).
    EscPos &raw(const QByteArray &bytes);

    const QByteArray &bytes() const { return m_bytes; }

    // The PC858 code page number for ESC t.
    static constexpr int codePage = 19;
    // text in PC858, with the replacements described above.
    static QByteArray encode(const QString &text);
    // PC858 bytes back to text (control bytes kept as they are).
    static QString decode(const QByteArray &bytes);
    // How many printer columns text takes (one per character once encoded).
    static int width(const QString &text);

private:
    QByteArray m_bytes;
};

} // namespace SafeTill
