# sweep.gp - the sweep's matrix: one row per object type, one column per
# function that consumed an error (read the damaged bytes), each cell
# coloured by the outcome most of its draws ended in (outcome_classes'
# colours); P marks the (object, site) of a row of the paper's Table 2.
# Writes OUT.svg and OUT.png.
#
#   gnuplot -e "data='cells.tsv'; tics='tics.gp'; out='sweep-matrix'; nx=N; ny=M" reports/sweep.gp
#
# data: x y colour(0xrrggbb as a number) label; tics: set xtics/ytics
# commands naming the columns and rows (reports/sweep.sh writes both).
set datafile separator "\t"
set title "Sweep: outcome per object type and consuming function (P: a paper row)"
unset key
set xrange [-0.5:nx - 0.5]
set yrange [-0.5:ny - 0.5]
set xtics rotate by 60 right nomirror font ",8" noenhanced
set termoption noenhanced
set ytics nomirror
set style fill solid 1.0 border lc rgb "#ffffff"
load tics
w = nx > 30 ? 1400 : 1000
set terminal svg size w,420 font "sans,10" background "white"
set output out . ".svg"
plot data using 1:2:(0.5):(0.5):3 with boxxyerror lc rgb variable, \
     '' using 1:2:4 with labels font ",9"
set terminal pngcairo size w,420 font "sans,8" background "white"
set output out . ".png"
replot
