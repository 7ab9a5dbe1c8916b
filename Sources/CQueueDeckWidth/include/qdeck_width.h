#ifndef QDECK_WIDTH_H
#define QDECK_WIDTH_H
/// Display columns of a Unicode scalar as glibc's wcwidth counts them in a UTF-8 locale,
/// whatever the process locale is: 2 for wide (CJK), 0 for combining marks, -1 for controls.
int qdeck_wcwidth(unsigned int scalar);
#endif
