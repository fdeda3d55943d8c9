"""How much of one message the parser reads: every limit in one place, each chosen by measurement.

Mail from the public can be built to stall a parser. These bounds keep any single message's
parsing to about a second and well under 300 MB on the 2-core reference machine, while real mail
(public test collections and the benchmark corpus) never comes near them. What lies beyond a
limit is dropped and said so (``ParsedMessage.dropped``); the rest still makes a ticket.
"""

# MIME structure. The stdlib's parser recurses once per nesting level (RecursionError near 500
# levels, or a crash of the C stack on a thread); real mail nests under 15 (a forward of a
# forward of an HTML mail with images is about 10). Deeper parts are read flat (bodies.py).
MAX_MIME_DEPTH = 40
# Parts: each costs a header parse and, as an attachment, a file and a row. Real mail: < 100.
MAX_PARTS = 1_000
# Parts nested deeper are read flat from their raw text: at most this much text is read again.
MAX_SALVAGED_BYTES = 16 * 1024 * 1024
# Lines: the stdlib keeps every line as its own string while parsing, about 90 bytes per short
# line (30 MB of quoted-printable soft line breaks took 964 MB). 1,000,000 lines fit the largest
# message the SMTP server accepts (40 MB of base64 is 540,000 lines) in about 100 MB.
MAX_LINES = 1_000_000
# A run of this many quoted-printable soft line breaks ("=" at the end of a line: nothing once
# decoded) becomes one before parsing; real mail never has two in a row.
QP_SOFT_BREAK_RUN = 64
# Header fields of one message or part; beyond this only the fields the parser reads are kept.
MAX_HEADER_FIELDS = 1_000
# A text body becomes the ticket's text (split from its quoted history at about 10 us a line,
# indexed, shown): a longer one is kept whole as a file and its text cut. Real mail: a long
# thread with all its history is a few thousand lines.
MAX_TEXT_BYTES = 1024 * 1024
MAX_TEXT_LINES = 20_000
# Decoded bytes of all attachments together.
MAX_DECODED_BYTES = 128 * 1024 * 1024

# HTML. Tree builders (lexbor, nh3's html5ever) are quadratic in nesting depth: nh3 took 1.4 s
# on 20,000 nested <div>, 7.5 s on 40,000. Measured at these limits: 2 MB of real mail HTML
# sanitizes in 0.3 s, 100,000 flat elements in 0.2 s, depth 1,000 x 40 (work 20 million) in
# 0.2 s. Real mail measured: at most 251 elements, depth 41, work 4,332.
MAX_HTML_CHARS = 2_000_000
MAX_HTML_ELEMENTS = 100_000
MAX_HTML_DEPTH = 1_000
MAX_HTML_WORK = 20_000_000  # sum of the depth at each start tag: what scope checks cost
