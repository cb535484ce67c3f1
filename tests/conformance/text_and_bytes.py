# Questions 4 and 5, and the str/bytes conversions of the worksheet.
import errno
import os

print(len('\u4e2d'), len('\u4e2d'.encode()))
print('\u4e2d'.encode(), b'Raw bytes'.decode(), 'Unicode str'.encode())
print(repr(b'\x00\x7f\x80\xff\'"\\\n\t'))
print(int(' 42\n'), int(b'MOVE7'[4:]))
for bad in ['abc', '4.5', '']:
    try:
        int(bad)
    except ValueError as e:
        print(e)
try:
    b'\xff'.decode()
except UnicodeDecodeError as e:
    print(e)
print(errno.ECONNREFUSED, errno.EADDRINUSE, errno.ECONNRESET, errno.EPIPE, errno.EACCES, errno.ETIMEDOUT)
print(errno.errorcode[111], os.strerror(111), os.strerror(98))
