# drivers.gp - the monitoring cost against the number of driver tasks:
# heartbeat messages per second (left axis) and the share of one hart's
# time, per mille (right axis), of the heartbeat monitor at 1 s and 20 ms
# and of the in-kernel checks. Writes OUT.svg and OUT.png.
#
#   gnuplot -e "data='drivers_cost.tsv'; out='drivers_cost'" reports/drivers.gp
#
# data: reports/sql/drivers_cost.sql's output (TSV with a header line:
# tasks, then messages/s and per mille of the heartbeat at 1 s, at 20 ms,
# and of the in-kernel detector, then its checks).
set datafile separator "\t"
set title "Monitoring cost against the number of driver tasks (idle guest, -icount)"
set xlabel "driver tasks"
set ylabel "messages per second"
set y2label "share of one hart's time (per mille)"
set logscale x 2
set xrange [0.8:40]
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set grid ytics
set key top left

set terminal svg size 900,500 font "sans,11" background "white"
set output out . ".svg"
plot data skip 1 using 1:2 with linespoints lw 2 pt 7 lc rgb "#ee6677" title "heartbeat 1 s: messages/s", \
     data skip 1 using 1:4 with linespoints lw 2 pt 9 lc rgb "#aa3377" title "heartbeat 20 ms: messages/s", \
     data skip 1 using 1:6 with linespoints lw 2 pt 5 lc rgb "#4477aa" title "in-kernel: messages/s", \
     data skip 1 using 1:3 axes x1y2 with linespoints lw 2 dt 2 pt 6 lc rgb "#ee6677" title "heartbeat 1 s: CPU (per mille)", \
     data skip 1 using 1:5 axes x1y2 with linespoints lw 2 dt 2 pt 8 lc rgb "#aa3377" title "heartbeat 20 ms: CPU (per mille)", \
     data skip 1 using 1:7 axes x1y2 with linespoints lw 2 dt 2 pt 4 lc rgb "#4477aa" title "in-kernel checks: CPU (per mille)"
set terminal pngcairo size 900,500 font "sans,9" background "white"
set output out . ".png"
replot
set output
